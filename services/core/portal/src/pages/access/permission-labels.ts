import { en, MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';

/** A resource's name in words; one the catalogue does not know is shown as Harbor names it. */
export function resourceLabel(t: Translate, resource: string): string {
  const key = `access.resource.${resource}`;
  return key in en ? t(key as MessageKey) : resource;
}

/** An action's name in words; one the catalogue does not know is shown as Harbor names it. */
export function actionLabel(t: Translate, action: string): string {
  const key = `access.action.${action}`;
  return key in en ? t(key as MessageKey) : action;
}
