import { Alert, App as AntApp, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { createUser, resetPassword, User } from '../../api/user.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';
import { PasswordRules, passwordValidator } from './password-rules';

interface NewUserValues {
  username: string;
  email: string;
  realname: string;
  password: string;
  confirm: string;
  comment: string;
}

/** A new local user (db_auth): the password rule in words, ticked as it is typed; the server's refusal in its words. */
export function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewUserValues>();
  const password = Form.useWatch('password', form) ?? '';
  const submit = useSubmit();

  async function save() {
    const values = await form.validateFields();
    const done = await submit.run(() => createUser(values));
    if (!done) return;
    message.success(t('admin.users.created', { name: values.username }));
    form.resetFields();
    onCreated();
  }

  return (
    <Modal
      title={t('admin.users.newTitle')}
      open={open}
      onOk={() => void save().catch(() => undefined)}
      onCancel={() => {
        submit.reset();
        onClose();
      }}
      okText={t('admin.users.create')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form<NewUserValues> form={form} name="new-user" layout="vertical" requiredMark={false} initialValues={{ username: '', email: '', realname: '', password: '', confirm: '', comment: '' }}>
        <Form.Item name="username" label={t('admin.users.username')} rules={[{ required: true, whitespace: true, message: t('admin.users.usernameRequired') }, { max: 255 }]}>
          <Input autoFocus autoComplete="off" maxLength={255} />
        </Form.Item>
        <Form.Item name="email" label={t('admin.users.email')} rules={[{ type: 'email', message: t('admin.users.emailInvalid') }]}>
          <Input autoComplete="off" maxLength={255} />
        </Form.Item>
        <Form.Item name="realname" label={t('admin.users.realname')}>
          <Input autoComplete="off" maxLength={255} />
        </Form.Item>
        <Form.Item name="password" label={t('admin.users.password')} validateTrigger="onBlur" rules={[{ validator: passwordValidator(t) }]} extra={<PasswordRules password={password} />}>
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <ConfirmPasswordItem />
        <Form.Item name="comment" label={t('admin.users.comment')} rules={[{ max: 30, message: t('admin.users.commentTooLong') }]}>
          <Input autoComplete="off" maxLength={30} />
        </Form.Item>
        {submit.error && <Alert type="error" showIcon message={submit.error} role="alert" />}
      </Form>
    </Modal>
  );
}

function ConfirmPasswordItem() {
  const { t } = useI18n();
  return (
    <Form.Item
      name="confirm"
      label={t('admin.password.confirm')}
      dependencies={['password']}
      rules={[
        ({ getFieldValue }) => ({
          validator: (_, value: string) =>
            value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('admin.password.mismatch'))),
        }),
      ]}
    >
      <Input.Password autoComplete="new-password" maxLength={128} />
    </Form.Item>
  );
}

/** An administrator sets a new password for someone else (no old password needed). */
export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose(): void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const password = Form.useWatch('password', form) ?? '';
  const submit = useSubmit();
  // The title keeps the name while the dialog closes.
  const [named, setNamed] = useState(user);
  useEffect(() => {
    if (user) setNamed(user);
  }, [user]);

  async function save() {
    if (!user) return;
    const values = await form.validateFields();
    const done = await submit.run(() => resetPassword(user.user_id, values.password));
    if (!done) return;
    message.success(t('admin.users.passwordReset', { name: user.username }));
    form.resetFields();
    onClose();
  }

  return (
    <Modal
      title={t('admin.users.resetTitle', { name: named?.username ?? '' })}
      open={user !== null}
      onOk={() => void save().catch(() => undefined)}
      onCancel={() => {
        submit.reset();
        form.resetFields();
        onClose();
      }}
      okText={t('admin.users.resetSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="reset-password" layout="vertical" requiredMark={false} initialValues={{ password: '', confirm: '' }}>
        <Form.Item name="password" label={t('admin.password.new')} validateTrigger="onBlur" rules={[{ validator: passwordValidator(t) }]} extra={<PasswordRules password={password} />}>
          <Input.Password autoFocus autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <ConfirmPasswordItem />
        {submit.error && <Alert type="error" showIcon message={submit.error} role="alert" />}
      </Form>
    </Modal>
  );
}
