import { CopyOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * Copies `text` to the clipboard, saying so; the label names what is copied for screen readers.
 * `icon` tells apart two copies side by side (a digest and its pull command).
 */
export function CopyButton({ text, label, testId, icon }: { text: string; label: string; testId?: string; icon?: ReactNode }) {
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
      <Button size="small" type="text" icon={icon ?? <CopyOutlined />} aria-label={label} data-testid={testId} data-copy={text} onClick={copy} />
    </Tooltip>
  );
}
