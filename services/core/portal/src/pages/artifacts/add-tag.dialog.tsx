import { Alert, Form, Input, InputRef, Modal, Typography } from 'antd';
import { useRef } from 'react';
import { addTag, shortDigest, tagNamePattern } from '../../api/artifact.api';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';

interface Props {
  /** The artifact the tag will point at; null keeps the dialog closed. */
  target: { projectName: string; repositoryName: string; digest: string } | null;
  onClose(): void;
  onAdded(tag: string): void;
}

/** Harbor's "add tag": a name checked as typed, the server's refusal (a taken tag, …) in its words. */
export function AddTagDialog({ target, onClose, onAdded }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string }>();
  const submit = useSubmit();
  const input = useRef<InputRef>(null);

  async function add() {
    if (!target) return;
    const { name } = await form.validateFields();
    if (await submit.run(() => addTag(target.projectName, target.repositoryName, target.digest, name))) {
      form.resetFields();
      onAdded(name);
    }
  }

  return (
    <Modal
      title={t('artifacts.addTag.title')}
      open={target !== null}
      okText={t('artifacts.addTag.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      forceRender
      onOk={() => void add().catch(() => undefined)}
      // The dialog takes the focus as it opens; the name field is what the user types into.
      afterOpenChange={(open) => open && input.current?.focus()}
      onCancel={() => {
        submit.reset();
        form.resetFields();
        onClose();
      }}
    >
      {target ? <Typography.Paragraph>{t('artifacts.addTag.intro', { digest: shortDigest(target.digest) })}</Typography.Paragraph> : null}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={() => void add().catch(() => undefined)}>
        <Form.Item
          name="name"
          label={t('artifacts.addTag.name')}
          validateTrigger="onChange"
          rules={[
            { required: true, message: t('artifacts.addTag.required') },
            { validator: (_, value: string) => (!value || tagNamePattern.test(value) ? Promise.resolve() : Promise.reject(new Error(t('artifacts.addTag.rule')))) },
          ]}
        >
          <Input ref={input} autoFocus maxLength={128} />
        </Form.Item>
      </Form>
      {submit.error ? <Alert type="error" showIcon role="alert" message={submit.error} /> : null}
    </Modal>
  );
}
