import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../api/error-text';
import { ApiError } from '../api/http';
import { signIn } from '../api/session.api';
import { SystemInfo, systemInfo } from '../api/systeminfo.api';
import { useSubmit } from '../components/use-submit';
import { type Translate, useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { AccountFrame } from './account/account-frame';

interface Credentials {
  principal: string;
  password: string;
}

/** What the sign-up page hands over after creating an account. */
export interface SignInState {
  signedUp?: string;
}

/** Only paths of this portal: `?redirect=//evil.example` must not send anyone away. */
function safeRedirect(target: string | null): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : '/harbor/projects';
}

/** 401 is a wrong name or password: said in the reader's language; anything else (429 cooling down, …) as errorText says it. */
function signInErrorText(err: unknown, t: Translate): string {
  return err instanceof ApiError && err.status === 401 ? t('account.signInRefused') : errorText(err, t);
}

/**
 * Sign in, saying which accounts work here (LDAP directory or Harbor's own
 * database, from `/systeminfo`'s auth_mode) and offering sign-up only when
 * self-registration is on for database accounts.
 */
export function SignInPage() {
  const { t } = useI18n();
  const { user, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const { busy, error, run } = useSubmit(signInErrorText);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const target = safeRedirect(params.get('redirect'));
  const signedUp = (location.state as SignInState | null)?.signedUp;

  useEffect(() => {
    // Only hints depend on it: a failure leaves the form as it is.
    systemInfo().then(setInfo, () => undefined);
  }, []);

  if (user) return <Navigate to={target} replace />;

  async function onFinish(values: Credentials) {
    const signedIn = await run(async () => {
      await signIn(values.principal, values.password);
      await refresh();
    });
    if (signedIn) navigate(target, { replace: true });
  }

  const ldap = info?.auth_mode === 'ldap_auth';
  const canSignUp = info?.self_registration === true && info.auth_mode === 'db_auth';

  return (
    <AccountFrame title={t('signIn.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {info && (
          <Typography.Text type="secondary" data-testid="auth-mode-hint" data-auth-mode={info.auth_mode}>
            {ldap ? t('account.authLdap') : t('account.authDatabase')}
          </Typography.Text>
        )}
        {signedUp && !error && <Alert type="success" showIcon message={t('account.signedUp', { name: signedUp })} data-testid="signed-up" />}
        <Form<Credentials> layout="vertical" onFinish={onFinish} requiredMark={false} initialValues={{ principal: signedUp ?? '' }}>
          <Form.Item name="principal" label={t('signIn.username')} rules={[{ required: true, message: t('signIn.usernameRequired') }]}>
            <Input autoComplete="username" autoFocus={!signedUp} />
          </Form.Item>
          <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" autoFocus={Boolean(signedUp)} />
          </Form.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            {error && <Alert type="error" showIcon message={error} role="alert" />}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Space>
        </Form>
        {canSignUp && (
          <Typography.Text>
            {t('account.noAccount')} <Link to="/account/sign-up">{t('account.signUpLink')}</Link>
          </Typography.Text>
        )}
      </Space>
    </AccountFrame>
  );
}
