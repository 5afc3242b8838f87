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
 * The server's own words (a refusal's reason, a failed check) when the reader
 * can read them: on an English screen, or words with no English in them.
 * Core speaks only English, so a Chinese screen gets undefined instead.
 */
export function serverWords(message: string | undefined, t: Translate): string | undefined {
  if (!message) return undefined;
  const readable = (t.language ?? 'en-US') === 'en-US' || !/[A-Za-z]{3,}/.test(message);
  return readable ? message : undefined;
}

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
  const words = serverWords(err.message, t);
  if (words) return words;
  const sentence = byStatus[err.status];
  if (sentence) return t(sentence);
  if (err.status >= 500) return t('error.status.5xx', { status: err.status });
  return t('error.unexpected', { status: err.status });
}
