import { Alert, Button, Card, Form, Input, Layout, Select, Space } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { signIn } from '../api/session.api';
import { Language, languages, useI18n } from '../i18n/i18n';
import { useSession } from '../session';

interface Credentials {
  principal: string;
  password: string;
}

/** Only paths of this portal: `?redirect=//evil.example` must not send anyone away. */
function safeRedirect(target: string | null): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : '/harbor/projects';
}

export function SignInPage() {
  const { t, language, setLanguage } = useI18n();
  const { user, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = safeRedirect(params.get('redirect'));

  if (user) return <Navigate to={target} replace />;

  async function onFinish(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.principal, values.password);
      await refresh();
      navigate(target, { replace: true });
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <Card title={t('signIn.title')} style={{ width: '100%', maxWidth: 400 }} extra={
        <Select<Language> aria-label={t('nav.language')} value={language} onChange={setLanguage} options={languages} size="small" style={{ width: 110 }} />
      }>
        <Form<Credentials> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="principal" label={t('signIn.username')} rules={[{ required: true, message: t('signIn.usernameRequired') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            {error && <Alert type="error" showIcon message={error} role="alert" />}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </Layout>
  );
}
