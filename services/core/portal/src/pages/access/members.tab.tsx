import { App as AntApp, Button, Flex, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/error-text';
import { changeMemberRole, listMembers, Member, removeMember, roleIds, roleNameOf, roleOrder } from '../../api/member.api';
import { systemInfo } from '../../api/systeminfo.api';
import { ApiTable } from '../../components/api-table';
import { useUrlPage } from '../../components/use-url-page';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import type { ProjectTabProps } from '../project/project-detail.page';
import { AddMemberDialog } from './add-member.dialog';
import { UrlSearch } from '../../components/url-search';

/**
 * A project's members, paged by the API and searched by name (both in the
 * URL). Adding (a user, or an LDAP group when the suite authenticates against
 * LDAP), changing a role and removing are offered only with the matching
 * `member` permission; the signed-in user's own row is left alone, as in Harbor.
 */
export function MembersTab({ project, can }: ProjectTabProps) {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const { user } = useSession();
  const list = useUrlPage((query) => listMembers(project.project_id, { ...query, entityname: query.search }), { deps: [project.project_id] });
  const [adding, setAddingState] = useState<'user' | 'group' | null>(null);
  // A fresh dialog per opening (see RobotList: a reused Modal's OK button keeps a stuck loading icon).
  const [opening, setOpening] = useState(0);
  const setAdding = (next: 'user' | 'group' | null) => {
    if (next !== null) setOpening((n) => n + 1);
    setAddingState(next);
  };
  const [ldap, setLdap] = useState(false);
  const canAdd = can('member', 'create');
  const canUpdate = can('member', 'update');
  const canDelete = can('member', 'delete');

  useEffect(() => {
    let current = true;
    systemInfo().then(
      (info) => current && setLdap(info.auth_mode === 'ldap_auth'),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  const roleLabel = (member: Member) => {
    const name = roleNameOf(member.role_id);
    return name ? t(`access.role.${name}`) : member.role_name;
  };
  const isMe = (member: Member) => member.entity_type === 'u' && member.entity_name === user?.username;

  async function setRole(member: Member, roleId: number) {
    try {
      await changeMemberRole(project.project_id, member.id, roleId);
      const name = roleNameOf(roleId);
      message.success(t('access.members.roleChanged', { name: member.entity_name, role: name ? t(`access.role.${name}`) : String(roleId) }));
    } catch (err) {
      message.error(errorText(err, t));
    }
    list.reload();
  }

  function remove(member: Member) {
    modal.confirm({
      title: t('access.members.removeConfirm', { name: member.entity_name, project: project.name }),
      content: t('access.members.removeHelp'),
      okText: t('access.members.remove'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await removeMember(project.project_id, member.id);
          message.success(t('access.members.removed', { name: member.entity_name }));
        } catch (err) {
          message.error(errorText(err, t));
        }
        list.reload();
      },
    });
  }

  const columns: ColumnsType<Member> = [
    { title: t('access.members.name'), dataIndex: 'entity_name', key: 'name' },
    {
      title: t('access.members.type'),
      key: 'type',
      render: (_, member) => <Tag>{member.entity_type === 'g' ? t('access.members.typeGroup') : t('access.members.typeUser')}</Tag>,
    },
    {
      title: t('access.members.role'),
      key: 'role',
      render: (_, member) =>
        canUpdate && !isMe(member) ? (
          <Select
            size="small"
            aria-label={t('access.members.roleOf', { name: member.entity_name })}
            value={member.role_id}
            onChange={(roleId: number) => void setRole(member, roleId)}
            options={roleOrder.map((role) => ({ value: roleIds[role], label: t(`access.role.${role}`) }))}
            popupMatchSelectWidth={false}
            style={{ minWidth: 140 }}
            data-testid="member-role"
          />
        ) : (
          <span data-testid="member-role">{roleLabel(member)}</span>
        ),
    },
  ];
  if (canDelete) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, member) =>
        isMe(member) ? null : (
          <Button size="small" danger aria-label={t('access.members.removeOf', { name: member.entity_name })} onClick={() => remove(member)}>
            {t('access.members.remove')}
          </Button>
        ),
    });
  }

  return (
    <Flex vertical gap={12} style={{ minWidth: 0 }}>
      <Flex wrap gap={8} justify="space-between">
        <UrlSearch list={list} label={t('access.members.search')} style={{ maxWidth: 320 }} />
        {canAdd ? (
          <Flex wrap gap={8}>
            <Button type="primary" onClick={() => setAdding('user')}>
              {t('access.members.addUser')}
            </Button>
            {ldap ? <Button onClick={() => setAdding('group')}>{t('access.members.addGroup')}</Button> : null}
          </Flex>
        ) : null}
      </Flex>
      <ApiTable<Member>
        list={list}
        columns={columns}
        rowKey="id"
        label={t('access.members.label', { project: project.name })}
        empty={canAdd ? t('access.members.empty') : t('access.members.emptyReadOnly')}
      />
      <AddMemberDialog
        key={opening}
        open={adding !== null}
        kind={adding ?? 'user'}
        project={{ id: project.project_id, name: project.name }}
        onClose={() => setAdding(null)}
        onAdded={(name, role) => {
          setAdding(null);
          message.success(t('access.members.added', { name, role: t(`access.role.${role}`) }));
          list.reload();
        }}
      />
    </Flex>
  );
}
