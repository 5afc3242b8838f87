import { Alert, Button, Form, Input, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { NewAccount, signUp, validRealname, validUsername } from '../../api/account.api';
import { errorText } from '../../api/error-text';
import { SystemInfo, systemInfo } from '../../api/systeminfo.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import type { SignInState } from '../sign-in.page';
import { AccountFrame } from './account-frame';
import { accountErrorText } from './account-error-text';
import { confirmPasswordRules, newPasswordRules } from './password-rules';

interface Values extends NewAccount {
  confirm: string;
}

/** The same shape core accepts; it checks again. */
const emailPattern = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/;

/**
 * Self-registration: open only when `/systeminfo` says so (database accounts,
 * self_registration on); otherwise the page says why and links back. Every
 * rule is checked as it is typed; the server's refusals (a taken name or
 * email) are said in words. A new account goes back to sign-in with its name
 * filled in.
 */
export function SignUpPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  // A taken name or email is said with what was entered.
  const submit = useSubmit((err, tr) => accountErrorText(err, tr, form.getFieldsValue()));

  useEffect(() => {
    systemInfo().then(setInfo, setInfoError);
  }, []);

  // Someone signed in would create the account as themselves (and be refused): nothing to do here.
  if (user) return <Navigate to="/harbor/projects" replace />;

  async function onFinish(values: Values) {
    const { username, email, realname, password } = values;
    if (!(await submit.run(() => signUp({ username, email, realname, password })))) return;
    const state: SignInState = { signedUp: username };
    navigate('/account/sign-in', { state });
  }

  const backLink = <Link to="/account/sign-in">{t('signUp.backToSignIn')}</Link>;

  let body;
  if (infoError) {
    body = <Alert type="error" showIcon role="alert" message={errorText(infoError, t)} action={backLink} />;
  } else if (!info) {
    body = <Spin />;
  } else if (info.auth_mode !== 'db_auth' || !info.self_registration) {
    body = (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="info" showIcon data-testid="sign-up-closed" message={info.auth_mode === 'ldap_auth' ? t('signUp.ldap') : t('account.registrationOff')} />
        {backLink}
      </Space>
    );
  } else {
    body = (
      <Form<Values> form={form} layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false} disabled={submit.busy}>
        <Form.Item
          name="username"
          label={t('signUp.username')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('signUp.usernameRequired') },
            { validator: (_, value: string) => (!value || validUsername(value) ? Promise.resolve() : Promise.reject(new Error(t('signUp.usernameRule')))) },
          ]}
        >
          <Input autoComplete="username" autoFocus maxLength={255} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('signUp.email')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('signUp.emailRequired') },
            { validator: (_, value: string) => (!value || emailPattern.test(value) ? Promise.resolve() : Promise.reject(new Error(t('signUp.emailInvalid')))) },
          ]}
        >
          <Input type="email" autoComplete="email" maxLength={255} />
        </Form.Item>
        <Form.Item
          name="realname"
          label={t('signUp.realname')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('signUp.realnameRequired') },
            { validator: (_, value: string) => (!value || validRealname(value) ? Promise.resolve() : Promise.reject(new Error(t('signUp.realnameRule')))) },
          ]}
        >
          <Input autoComplete="name" maxLength={255} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('signUp.password')}
          validateTrigger="onChange"
          extra={t('account.passwordHelp')}
          rules={newPasswordRules(t, 'signUp.passwordRequired')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('signUp.confirm')}
          validateTrigger="onChange"
          dependencies={['password']}
          rules={confirmPasswordRules(t, 'signUp.confirmRequired', 'password')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space direction="vertical" style={{ width: '100%' }}>
          {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
          <Button type="primary" htmlType="submit" block loading={submit.busy}>
            {t('signUp.submit')}
          </Button>
          {backLink}
        </Space>
      </Form>
    );
  }

  return <AccountFrame title={t('signUp.title')}>{body}</AccountFrame>;
}
