import { accountRefusal } from '../../api/account.api';
import { errorText } from '../../api/error-text';
import type { Translate } from '../../i18n/i18n';

/**
 * A failed account call in the reader's language where the refusal is one the
 * account pages know (a taken name, a wrong current password, …); anything
 * else in the server's own words.
 */
export function accountErrorText(err: unknown, t: Translate, entered: { username?: string; email?: string } = {}): string {
  switch (accountRefusal(err)) {
    case 'usernameTaken':
      return t('account.usernameTaken', { name: entered.username ?? '' });
    case 'emailTaken':
      return t('account.emailTaken', { email: entered.email ?? '' });
    case 'wrongOldPassword':
      return t('changePassword.wrongOld');
    case 'sameAsOld':
      return t('changePassword.sameAsOld');
    case 'registrationOff':
      return t('account.registrationOff');
    default:
      return errorText(err, t);
  }
}
