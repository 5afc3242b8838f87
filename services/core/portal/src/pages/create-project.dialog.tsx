import { Alert, App as AntApp, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import { errorText } from '../api/error-text';
import { createProject, validProjectName } from '../api/project.api';
import { useI18n } from '../i18n/i18n';

interface Props {
  open: boolean;
  onClose(): void;
  onCreated(name: string): void;
}

interface Values {
  name: string;
  public: boolean;
}

/** The name rule is checked on every keystroke; the server's refusal (a taken name, …) is shown in its words. */
export function CreateProjectDialog({ open, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await createProject({ name: values.name, public: values.public });
      message.success(t('createProject.created', { name: values.name }));
      form.resetFields();
      onCreated(values.name);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t('createProject.title')}
      open={open}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      okText={t('createProject.submit')}
      cancelText={t('createProject.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ name: '', public: false }} requiredMark={false}>
        <Form.Item
          name="name"
          label={t('createProject.name')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('createProject.nameRequired') },
            {
              validator: (_, value: string) =>
                !value || validProjectName(value) ? Promise.resolve() : Promise.reject(new Error(t('createProject.nameRule'))),
            },
          ]}
        >
          <Input autoFocus maxLength={255} />
        </Form.Item>
        <Form.Item name="public" label={t('createProject.public')} valuePropName="checked" extra={t('createProject.publicHelp')}>
          <Switch />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} role="alert" />}
      </Form>
    </Modal>
  );
}
