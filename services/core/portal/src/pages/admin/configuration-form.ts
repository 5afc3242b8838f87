import type { Configurations, ConfigurationsResponse } from '../../api/configuration.api';
import type { LdapConf } from '../../api/ldap.api';

/**
 * The configuration page's form and its mapping to Harbor's bodies, kept out
 * of the page so it is unit-tested: what the form starts from
 * (`ConfigurationsResponse`), what Save sends (`Configurations`, only the
 * changed keys, with the types the API wants) and what "test connection"
 * sends (`LdapConf`, the form's values as typed).
 */
export interface ConfigForm {
  auth_mode: string;
  ldap_url: string;
  ldap_search_dn: string;
  /** Write-only: empty means "keep the stored one". */
  ldap_search_password: string;
  ldap_base_dn: string;
  ldap_filter: string;
  ldap_uid: string;
  ldap_scope: number;
  ldap_timeout: number;
  ldap_verify_cert: boolean;
  ldap_group_base_dn: string;
  ldap_group_search_filter: string;
  ldap_group_attribute_name: string;
  ldap_group_admin_dn: string;
  ldap_group_membership_attribute: string;
  ldap_group_search_scope: number;
  self_registration: boolean;
  project_creation_restriction: string;
  token_expiration: number;
  robot_token_duration: number;
}

type FormKey = keyof ConfigForm;
type StringKey = { [K in FormKey]: ConfigForm[K] extends string ? K : never }[FormKey];
type NumberKey = { [K in FormKey]: ConfigForm[K] extends number ? K : never }[FormKey];
type BooleanKey = { [K in FormKey]: ConfigForm[K] extends boolean ? K : never }[FormKey];

const stringKeys: StringKey[] = [
  'auth_mode',
  'ldap_url',
  'ldap_search_dn',
  'ldap_base_dn',
  'ldap_filter',
  'ldap_uid',
  'ldap_group_base_dn',
  'ldap_group_search_filter',
  'ldap_group_attribute_name',
  'ldap_group_admin_dn',
  'ldap_group_membership_attribute',
  'project_creation_restriction',
];
const numberKeys: NumberKey[] = ['ldap_scope', 'ldap_timeout', 'ldap_group_search_scope', 'token_expiration', 'robot_token_duration'];
const booleanKeys: BooleanKey[] = ['ldap_verify_cert', 'self_registration'];

/** What the form shows when the server leaves a key out: Harbor's defaults. */
export const configDefaults: ConfigForm = {
  auth_mode: 'db_auth',
  ldap_url: '',
  ldap_search_dn: '',
  ldap_search_password: '',
  ldap_base_dn: '',
  ldap_filter: '',
  ldap_uid: 'uid',
  ldap_scope: 2,
  ldap_timeout: 5,
  ldap_verify_cert: true,
  ldap_group_base_dn: '',
  ldap_group_search_filter: '',
  ldap_group_attribute_name: '',
  ldap_group_admin_dn: '',
  ldap_group_membership_attribute: 'memberof',
  ldap_group_search_scope: 2,
  self_registration: false,
  project_creation_restriction: 'everyone',
  token_expiration: 30,
  robot_token_duration: 30,
};

/** The form's starting values; the search password always starts empty (the server never tells it). */
export function formOf(response: ConfigurationsResponse): ConfigForm {
  const form: ConfigForm = { ...configDefaults };
  const values = response as Record<string, { value?: unknown } | undefined>;
  for (const key of stringKeys) {
    const value = values[key]?.value;
    if (typeof value === 'string') form[key] = value;
  }
  for (const key of numberKeys) {
    const value = Number(values[key]?.value);
    if (values[key]?.value !== undefined && values[key]?.value !== null && Number.isFinite(value)) form[key] = value;
  }
  for (const key of booleanKeys) {
    const value = values[key]?.value;
    if (typeof value === 'boolean') form[key] = value;
  }
  return form;
}

/** Keys the server marks as not editable (set by the installer's config): their controls are read-only. */
export function lockedKeys(response: ConfigurationsResponse): Set<FormKey> {
  const locked = new Set<FormKey>();
  for (const [key, item] of Object.entries(response) as [FormKey, { editable?: boolean } | undefined][]) {
    if (item && item.editable === false) locked.add(key);
  }
  return locked;
}

/** A number field as the form holds it (antd's InputNumber may give null or a string while typing). */
function asNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * Save's body: only the keys whose value differs from what was loaded, each
 * with the type `Configurations` wants; the search password only when one
 * was typed. An emptied number field is left out (it cannot be "no value").
 */
export function changedConfigurations(initial: ConfigForm, current: Partial<Record<FormKey, unknown>>): Configurations {
  const changes: Record<string, string | number | boolean> = {};
  for (const key of stringKeys) {
    const value = current[key];
    if (typeof value !== 'string') continue;
    const next = key === 'ldap_url' || key === 'ldap_uid' ? value.trim() : value;
    if (next !== initial[key]) changes[key] = next;
  }
  for (const key of numberKeys) {
    const value = asNumber(current[key]);
    if (value !== null && value !== initial[key]) changes[key] = value;
  }
  for (const key of booleanKeys) {
    const value = current[key];
    if (typeof value === 'boolean' && value !== initial[key]) changes[key] = value;
  }
  const password = current.ldap_search_password;
  if (typeof password === 'string' && password !== '') changes.ldap_search_password = password;
  return changes as Configurations;
}

/**
 * "Test connection"'s body: the LDAP values as they stand in the form, saved
 * or not. The password goes only when typed, so the server tries the stored
 * one otherwise.
 */
export function ldapConfOf(form: Partial<Record<FormKey, unknown>>): LdapConf {
  const text = (key: StringKey) => (typeof form[key] === 'string' ? (form[key] as string) : '');
  const conf: LdapConf = {
    ldap_url: text('ldap_url').trim(),
    ldap_search_dn: text('ldap_search_dn'),
    ldap_base_dn: text('ldap_base_dn'),
    ldap_filter: text('ldap_filter'),
  };
  // An empty attribute name is no name at all: the server then uses the stored one.
  if (text('ldap_uid').trim() !== '') conf.ldap_uid = text('ldap_uid').trim();
  const scope = asNumber(form.ldap_scope);
  if (scope !== null) conf.ldap_scope = scope;
  const timeout = asNumber(form.ldap_timeout);
  if (timeout !== null) conf.ldap_connection_timeout = timeout;
  if (typeof form.ldap_verify_cert === 'boolean') conf.ldap_verify_cert = form.ldap_verify_cert;
  const password = form.ldap_search_password;
  if (typeof password === 'string' && password !== '') conf.ldap_search_password = password;
  return conf;
}

/**
 * Whether a search password is stored, for the field's placeholder. The
 * server never sends the password; a response that says nothing about it
 * is read from the search DN (a bind DN without a password is unusual).
 */
export function searchPasswordSet(response: ConfigurationsResponse): boolean {
  const item = (response as Record<string, { value?: unknown } | undefined>).ldap_search_password;
  if (item && typeof item.value === 'string') return item.value !== '';
  if (item && typeof item.value === 'boolean') return item.value;
  return (response.ldap_search_dn?.value ?? '') !== '';
}
