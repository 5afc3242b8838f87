import { Alert, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useSubmit } from '../../components/use-submit';
import { useI18n } from '../../i18n/i18n';

interface Props {
  open: boolean;
  title: string;
  /** What will go, named. */
  body: ReactNode;
  okText: string;
  action(): Promise<void>;
  onClose(): void;
  onDone(): void;
}

/**
 * A confirmation that names what will go and runs one API call; a refusal
 * stays in the dialog in words, so the user can read it and cancel.
 */
export function ConfirmDialog({ open, title, body, okText, action, onClose, onDone }: Props) {
  const { t } = useI18n();
  const submit = useSubmit();
  return (
    <Modal
      title={title}
      open={open}
      okText={okText}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={submit.busy}
      destroyOnHidden
      onOk={async () => {
        if (await submit.run(action)) onDone();
      }}
      onCancel={() => {
        submit.reset();
        onClose();
      }}
    >
      <Typography.Paragraph style={{ wordBreak: 'break-all' }} data-testid="confirm-body">
        {body}
      </Typography.Paragraph>
      {submit.error ? <Alert type="error" showIcon role="alert" message={submit.error} /> : null}
    </Modal>
  );
}
