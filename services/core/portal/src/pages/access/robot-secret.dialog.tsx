import { Alert, Button, Descriptions, Modal, Space, Typography } from 'antd';
import { CopyButton } from '../../components/copy-button';
import { useI18n } from '../../i18n/i18n';

/**
 * Props of the shown-once secret dialog:
 * - `secret`: what `POST /robots` or `PATCH /robots/{id}` answered; null keeps the dialog closed;
 * - `name`: the robot's login name (`robot$<project>+<name>` or `robot$<name>`);
 * - `onClose()`: the secret is forgotten by the caller, never shown again.
 */
export interface RobotSecretDialogProps {
  name: string;
  secret: string | null;
  onClose(): void;
}

/** The login name and the secret, each with a copy button, and the warning that the secret is not shown again. */
export function RobotSecretDialog({ name, secret, onClose }: RobotSecretDialogProps) {
  const { t } = useI18n();
  return (
    <Modal
      open={secret !== null}
      title={t('access.secret.title', { name })}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('access.secret.done')}
        </Button>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="robot-secret-dialog">
        <Alert type="warning" showIcon message={t('access.secret.warning')} />
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('access.secret.name')}>
            <Space align="start" style={{ minWidth: 0 }}>
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="robot-login-name">
                {name}
              </Typography.Text>
              <CopyButton text={name} label={t('access.secret.copyName')} testId="copy-robot-name" />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('access.secret.secret')}>
            <Space align="start" style={{ minWidth: 0 }}>
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="robot-secret">
                {secret ?? ''}
              </Typography.Text>
              <CopyButton text={secret ?? ''} label={t('access.secret.copySecret')} testId="copy-robot-secret" />
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Space>
    </Modal>
  );
}
