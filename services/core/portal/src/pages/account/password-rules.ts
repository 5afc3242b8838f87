import type { FormInstance, FormRule } from 'antd';
import { passwordProblem } from '../../api/account.api';
import type { MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';

/** Form rules for a new password: required, then Harbor's rule, each broken part in words as it is typed. */
export function newPasswordRules(t: Translate, required: MessageKey): FormRule[] {
  return [
    { required: true, message: t(required) },
    {
      validator: (_, value: string | undefined) => {
        if (!value) return Promise.resolve();
        const problem = passwordProblem(value);
        if (problem === 'length') return Promise.reject(new Error(t('account.passwordLength')));
        if (problem === 'mix') return Promise.reject(new Error(t('account.passwordMix')));
        return Promise.resolve();
      },
    },
  ];
}

/** Form rules for the repeated password: it must equal the field named `of`. */
export function confirmPasswordRules(t: Translate, required: MessageKey, of: string): FormRule[] {
  return [
    { required: true, message: t(required) },
    (form: Pick<FormInstance, 'getFieldValue'>) => ({
      validator: (_, value: string | undefined) =>
        !value || value === form.getFieldValue(of) ? Promise.resolve() : Promise.reject(new Error(t('account.passwordMismatch'))),
    }),
  ];
}
