import { DownOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Dropdown, Layout, Menu, Select, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { signOut } from '../api/session.api';
import { Language, languages, useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { ChangePasswordDialog } from './account/change-password.dialog';

const adminPages = [
  { key: 'users', path: '/harbor/users', label: 'nav.users' },
  { key: 'groups', path: '/harbor/groups', label: 'nav.groups' },
  { key: 'robot-accounts', path: '/harbor/robot-accounts', label: 'nav.robots' },
  { key: 'logs', path: '/harbor/logs', label: 'nav.auditLogs' },
  { key: 'configs', path: '/harbor/configs', label: 'nav.configuration' },
] as const;

/** The frame around every signed-in page: navigation, language, who is signed in. */
export function Shell() {
  const { t, language, setLanguage } = useI18n();
  const { user, clear } = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);
  const section = location.pathname.split('/')[2] ?? 'projects';

  async function onSignOut() {
    try {
      await signOut();
      clear();
      navigate('/account/sign-in', { replace: true });
    } catch (err) {
      message.error(errorText(err, t));
    }
  }

  const items: MenuProps['items'] = [
    { key: 'projects', label: <Link to="/harbor/projects">{t('nav.projects')}</Link> },
    ...(user?.sysadmin_flag
      ? [
          {
            key: 'administration',
            label: t('nav.administration'),
            children: adminPages.map((page) => ({ key: page.key, label: <Link to={page.path}>{t(page.label)}</Link> })),
          },
        ]
      : []),
    { key: 'about', label: <Link to="/harbor/about">{t('nav.about')}</Link> },
  ];

  const userMenu: MenuProps['items'] = [
    { key: 'password', label: t('nav.changePassword'), onClick: () => setChangingPassword(true) },
    { key: 'sign-out', label: t('nav.signOut'), onClick: () => void onSignOut() },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', minHeight: 64, paddingInline: 16 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {t('app.title')}
        </Typography.Title>
        <Menu theme="dark" mode="horizontal" selectedKeys={[section]} style={{ flex: 1, minWidth: 80 }} items={items} />
        <Space wrap>
          <Select<Language>
            aria-label={t('nav.language')}
            data-testid="language-switcher"
            value={language}
            onChange={setLanguage}
            options={languages}
            style={{ width: 120 }}
          />
          <Dropdown menu={{ items: userMenu }} trigger={['click']}>
            <Button aria-label={t('nav.userMenu')} data-testid="current-user">
              {user?.username} <DownOutlined />
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1280, width: '100%', minWidth: 0, margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      {user ? <ChangePasswordDialog open={changingPassword} userId={user.user_id} onClose={() => setChangingPassword(false)} /> : null}
    </Layout>
  );
}
