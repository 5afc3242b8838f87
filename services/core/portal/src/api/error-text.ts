import type { MessageKey } from '../i18n/en';
import type { Translate } from '../i18n/i18n';
import { ApiError } from './http';

/** A sentence per HTTP status for readers whose language the server does not speak. */
const byStatus: Partial<Record<number, MessageKey>> = {
  400: 'error.status.400',
  401: 'error.status.401',
  403: 'error.status.403',
  404: 'error.status.404',
  409: 'error.status.409',
  412: 'error.status.412',
  413: 'error.status.413',
  429: 'error.status.429',
};

/**
 * What the user reads for a failed call, never raw JSON. In English, the
 * server's own words (they name the field or the rule). Core speaks only
 * English, so a Chinese screen gets a sentence for the kind of refusal
 * instead of an English one: no mixed-language screens. Pages that know a
 * particular refusal say it more precisely themselves.
 */
export function errorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('error.unexpected', { status: '?' });
  if (err.status === 0) return t('error.network');
  const serverWordsReadable = (t.language ?? 'en-US') === 'en-US';
  if (err.message && (serverWordsReadable || !/[A-Za-z]{3,}/.test(err.message))) return err.message;
  const sentence = byStatus[err.status];
  if (sentence) return t(sentence);
  if (err.status >= 500) return t('error.status.5xx', { status: err.status });
  return t('error.unexpected', { status: err.status });
}
