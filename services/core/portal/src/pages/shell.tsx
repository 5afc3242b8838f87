import { App as AntApp, Button, Layout, Menu, Select, Space, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { signOut } from '../api/session.api';
import { Language, languages, useI18n } from '../i18n/i18n';
import { useSession } from '../session';

/** The frame around every signed-in page: navigation, language, who is signed in. */
export function Shell() {
  const { t, language, setLanguage } = useI18n();
  const { user, clear } = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const selected = location.pathname.startsWith('/harbor/about') ? 'about' : 'projects';

  async function onSignOut() {
    try {
      await signOut();
      clear();
      navigate('/account/sign-in', { replace: true });
    } catch (err) {
      message.error(errorText(err, t));
    }
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', minHeight: 64 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {t('app.title')}
        </Typography.Title>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[selected]}
          style={{ flex: 1, minWidth: 160 }}
          items={[
            { key: 'projects', label: <Link to="/harbor/projects">{t('nav.projects')}</Link> },
            { key: 'about', label: <Link to="/harbor/about">{t('nav.about')}</Link> },
          ]}
        />
        <Space wrap>
          <Select<Language>
            aria-label={t('nav.language')}
            data-testid="language-switcher"
            value={language}
            onChange={setLanguage}
            options={languages}
            style={{ width: 120 }}
          />
          <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
            {user?.username}
          </Typography.Text>
          <Button onClick={onSignOut}>{t('nav.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
