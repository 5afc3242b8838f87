import { CopyOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Tooltip } from 'antd';
import type { MouseEvent, ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * Copies `text` to the clipboard, saying so; the label names what is copied for screen readers.
 * `icon` tells apart two copies side by side (a digest and its pull command).
 */
export function CopyButton({ text, label, testId, icon }: { text: string; label: string; testId?: string; icon?: ReactNode }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  async function copy(event: MouseEvent<HTMLElement>) {
    const button = event.currentTarget;
    if (await writeClipboard(text, button)) message.success(t('copy.done'));
    else message.error(t('copy.failed'));
  }
  return (
    <Tooltip title={label}>
      <Button size="small" type="text" icon={icon ?? <CopyOutlined />} aria-label={label} data-testid={testId} data-copy={text} onClick={copy} />
    </Tooltip>
  );
}

/**
 * The asynchronous clipboard API where the browser offers it, else the
 * older copy of a selection. A portal served over plain http from anything
 * but localhost is not a secure context, so browsers give it no
 * `navigator.clipboard` at all; and a browser may refuse the API to a
 * document that does not have the focus.
 */
async function writeClipboard(text: string, beside: HTMLElement): Promise<boolean> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused: the selection copy below may still be allowed (the click is a user gesture).
    }
  }
  return copySelection(text, beside);
}

/**
 * Selects `text` in an off-screen text area placed beside the button (inside
 * its dialog, whose focus trap would otherwise take the focus back) and
 * copies the selection.
 */
function copySelection(text: string, beside: HTMLElement): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.setAttribute('aria-hidden', 'true');
  Object.assign(area.style, { position: 'fixed', top: '0', left: '-9999px', opacity: '0' });
  (beside.parentElement ?? document.body).appendChild(area);
  try {
    area.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
    beside.focus();
  }
}
