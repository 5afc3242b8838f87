import { CopyOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Tooltip } from 'antd';
import { useI18n } from '../i18n/i18n';

/** Copies `text` to the clipboard, saying so; the label names what is copied for screen readers. */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('copy.done'));
    } catch {
      message.error(t('copy.failed'));
    }
  }
  return (
    <Tooltip title={label}>
      <Button size="small" type="text" icon={<CopyOutlined />} aria-label={label} data-testid={testId} data-copy={text} onClick={copy} />
    </Tooltip>
  );
}
