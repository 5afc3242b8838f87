import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorText } from '../../api/error-text';
import { deleteUserGroup, listUserGroups, UserGroup } from '../../api/user-group.api';
import { ApiTable } from '../../components/api-table';
import { PageCard } from '../../components/page-card';
import { useUrlPage } from '../../components/use-url-page';
import { useI18n } from '../../i18n/i18n';
import { CreateGroupDialog, EditGroupDialog, groupTypeLabels } from './group-dialogs';
import { UrlSearch } from '../../components/url-search';

/** User groups (LDAP, HTTP, OIDC) known to Harbor, so projects can give them roles. */
export function GroupsPage() {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const list = useUrlPage<UserGroup>((query) => listUserGroups(query));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserGroup | null>(null);

  function confirmDelete(group: UserGroup) {
    modal.confirm({
      title: t('common.confirmDelete', { name: group.group_name }),
      content: t('admin.groups.deleteWarning'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deleteUserGroup(group.id);
          message.success(t('admin.groups.deleted', { name: group.group_name }));
          list.reload();
        } catch (err) {
          message.error(errorText(err, t));
        }
      },
    });
  }

  const columns: ColumnsType<UserGroup> = [
    { title: t('admin.groups.name'), dataIndex: 'group_name', key: 'group_name' },
    { title: t('admin.groups.type'), key: 'type', render: (_, group) => <Tag>{groupTypeLabels[group.group_type] ? t(groupTypeLabels[group.group_type]) : group.group_type}</Tag> },
    {
      title: t('admin.groups.dn'),
      dataIndex: 'ldap_group_dn',
      key: 'dn',
      render: (dn: string | undefined) => (dn ? <Typography.Text style={{ wordBreak: 'break-all' }}>{dn}</Typography.Text> : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, group) => (
        <Space wrap size="small">
          <Button size="small" onClick={() => setEditing(group)}>
            {t('admin.groups.edit')}
          </Button>
          <Button size="small" danger onClick={() => confirmDelete(group)}>
            {t('common.delete')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <PageCard
      title={t('nav.groups')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.groups.new')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <UrlSearch list={list} label={t('admin.groups.search')} style={{ maxWidth: 360 }} />
        <ApiTable<UserGroup>
          list={list}
          columns={columns}
          rowKey="id"
          label={t('nav.groups')}
          empty={list.search ? t('admin.groups.noMatch') : t('admin.groups.empty')}
        />
      </Space>
      <CreateGroupDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          list.reload();
        }}
      />
      <EditGroupDialog
        group={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </PageCard>
  );
}
