import { Alert, App as AntApp, Form, Input, Modal } from 'antd';
import { changePassword } from '../../api/account.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';
import { accountErrorText } from './account-error-text';
import { confirmPasswordRules, newPasswordRules } from './password-rules';

interface Props {
  open: boolean;
  userId: number;
  onClose(): void;
}

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * The signed-in user's own password (from the Shell's account menu): the
 * current one, then the new one twice under Harbor's rule, checked as typed.
 * A wrong current password is said in words and the dialog stays open.
 */
export function ChangePasswordDialog({ open, userId, onClose }: Props) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const submitting = useSubmit(accountErrorText);

  function close() {
    submitting.reset();
    form.resetFields();
    onClose();
  }

  async function submit() {
    const values = await form.validateFields();
    if (!(await submitting.run(() => changePassword(userId, values.oldPassword, values.newPassword)))) return;
    message.success(t('changePassword.done'));
    close();
  }

  return (
    <Modal
      title={t('changePassword.title')}
      open={open}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      okText={t('changePassword.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={submitting.busy}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={() => void submit().catch(() => undefined)}>
        <Form.Item name="oldPassword" label={t('changePassword.old')} rules={[{ required: true, message: t('changePassword.oldRequired') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('changePassword.new')}
          validateTrigger="onChange"
          extra={t('account.passwordHelp')}
          rules={newPasswordRules(t, 'changePassword.newRequired')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('changePassword.confirm')}
          validateTrigger="onChange"
          dependencies={['newPassword']}
          rules={confirmPasswordRules(t, 'changePassword.confirmRequired', 'newPassword')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {submitting.error && <Alert type="error" showIcon role="alert" message={submitting.error} />}
        {/* Enter in a field submits, as in any form. */}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
