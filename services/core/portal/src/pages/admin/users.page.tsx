import { Alert, App as AntApp, Button, Space, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/error-text';
import { systemInfo } from '../../api/systeminfo.api';
import { builtInAdminId, deleteUser, listUsers, setSysadmin, User } from '../../api/user.api';
import { ApiTable } from '../../components/api-table';
import { PageCard } from '../../components/page-card';
import { useUrlPage } from '../../components/use-url-page';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';
import { useSession } from '../../session';
import { CreateUserDialog, ResetPasswordDialog } from './user-dialogs';
import { UrlSearch } from '../../components/url-search';

/**
 * Users, paged and searched by the API. What Harbor refuses is disabled here
 * with the reason in a tooltip: nobody deletes themselves or changes their
 * own admin flag, the built-in admin keeps its flag and stays, and local
 * passwords and users exist only in db_auth.
 */
export function UsersPage() {
  const { t, language } = useI18n();
  const { user: me } = useSession();
  const { message, modal } = AntApp.useApp();
  const list = useUrlPage<User>((query) => listUsers(query));
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [authMode, setAuthMode] = useState<string | null>(null);

  useEffect(() => {
    systemInfo().then(
      (info) => setAuthMode(info.auth_mode ?? 'db_auth'),
      () => setAuthMode('db_auth'),
    );
  }, []);
  const localUsers = authMode === null || authMode === 'db_auth';

  async function toggleAdmin(user: User) {
    try {
      await setSysadmin(user.user_id, !user.sysadmin_flag);
      message.success(t(user.sysadmin_flag ? 'admin.users.revoked' : 'admin.users.granted', { name: user.username }));
      list.reload();
    } catch (err) {
      message.error(errorText(err, t));
    }
  }

  function confirmDelete(user: User) {
    modal.confirm({
      title: t('common.confirmDelete', { name: user.username }),
      content: t('admin.users.deleteWarning'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deleteUser(user.user_id);
          message.success(t('admin.users.deleted', { name: user.username }));
          list.reload();
        } catch (err) {
          message.error(errorText(err, t));
        }
      },
    });
  }

  /** Why an action is refused for this user, or null when it is allowed. */
  function refusal(user: User, action: 'admin' | 'password' | 'delete'): MessageKey | null {
    const self = user.user_id === me?.user_id;
    if (action === 'admin') return self ? 'admin.users.notSelf' : user.user_id === builtInAdminId ? 'admin.users.builtInAdmin' : null;
    if (action === 'delete') return self ? 'admin.users.notSelf' : user.user_id === builtInAdminId ? 'admin.users.builtInAdmin' : null;
    if (self) return 'admin.users.ownPassword';
    return localUsers || user.user_id === builtInAdminId ? null : 'admin.users.directoryPassword';
  }

  function action(user: User, kind: 'admin' | 'password' | 'delete', label: string, onClick: () => void, danger = false) {
    const why = refusal(user, kind);
    const button = (
      <Button size="small" danger={danger} disabled={why !== null} onClick={onClick}>
        {label}
      </Button>
    );
    return why ? (
      <Tooltip title={t(why)}>
        <span>{button}</span>
      </Tooltip>
    ) : (
      button
    );
  }

  const columns: ColumnsType<User> = [
    { title: t('admin.users.username'), dataIndex: 'username', key: 'username' },
    {
      title: t('admin.users.admin'),
      key: 'admin',
      render: (_, user) =>
        user.sysadmin_flag ? (
          <Tag color="blue" data-testid="admin-flag">{t('common.yes')}</Tag>
        ) : (
          <Tag data-testid="admin-flag">{t('common.no')}</Tag>
        ),
    },
    { title: t('admin.users.email'), dataIndex: 'email', key: 'email', responsive: ['sm'] },
    { title: t('admin.users.realname'), dataIndex: 'realname', key: 'realname', responsive: ['md'] },
    {
      title: t('admin.users.createdAt'),
      dataIndex: 'creation_time',
      key: 'creation_time',
      responsive: ['lg'],
      render: (time: string) => new Date(time).toLocaleString(language),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, user) => (
        <Space wrap size="small">
          {action(user, 'admin', t(user.sysadmin_flag ? 'admin.users.revokeAdmin' : 'admin.users.grantAdmin'), () => void toggleAdmin(user))}
          {action(user, 'password', t('admin.users.resetPassword'), () => setResetting(user))}
          {action(user, 'delete', t('common.delete'), () => confirmDelete(user), true)}
        </Space>
      ),
    },
  ];

  return (
    <PageCard
      title={t('nav.users')}
      extra={
        <Button type="primary" disabled={!localUsers} onClick={() => setCreating(true)}>
          {t('admin.users.new')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {!localUsers && <Alert type="info" showIcon message={t('admin.users.directoryMode')} />}
        <UrlSearch list={list} label={t('admin.users.search')} style={{ maxWidth: 360 }} />
        <ApiTable<User>
          list={list}
          columns={columns}
          rowKey="user_id"
          label={t('nav.users')}
          empty={list.search ? t('admin.users.noMatch') : t('admin.users.empty')}
        />
      </Space>
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          list.reload();
        }}
      />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </PageCard>
  );
}
