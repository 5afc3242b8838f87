import type { Translate } from '../i18n/i18n';
import { ApiError } from './http';

/** What the user reads for a failed call: the server's own words, else a translated sentence. Never raw JSON. */
export function errorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.message) return err.message;
    return t('error.unexpected', { status: err.status });
  }
  return t('error.unexpected', { status: '?' });
}
