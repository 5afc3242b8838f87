import { z } from 'zod';
import { parseFilter } from 'ldapjs';
import { ldapGroupSchema, type CoreConfig, type LdapConfig, type LdapGroupConfig } from '@harbor/config';
import { normalizeDn, wrapFilter } from './ldap-filter';

/** The `ldap` config block with the group part filled in from its defaults. */
export type LdapSettings = Omit<LdapConfig, 'group'> & { group: LdapGroupConfig };

/**
 * The settings a system admin may change at run time (`PUT /configurations`),
 * as the rest of core reads them: harbor.cfg's values (through core.json)
 * with the database's overrides on top.
 */
export interface SystemSettings {
  authMode: CoreConfig['authMode'];
  ldap: LdapSettings;
  selfRegistration: boolean;
  projectCreationRestriction: CoreConfig['projectCreationRestriction'];
  /** Lifetime of registry tokens from `/service/token`. */
  tokenExpirationMinutes: number;
  /** The duration a robot gets when created with `duration: 0`. */
  robotTokenDurationDays: number;
}

/** What controllers hold: the current settings, read through a short cache. */
export interface SettingsReader {
  current(): Promise<SystemSettings>;
}

/** Harbor's default robot duration; harbor.cfg has no key for it. */
export const defaultRobotTokenDurationDays = 30;

export function ldapSettings(config: LdapConfig): LdapSettings {
  return { ...config, group: ldapGroupSchema.parse(config.group ?? {}) };
}

export function settingsFromConfig(config: CoreConfig): SystemSettings {
  return {
    authMode: config.authMode,
    ldap: ldapSettings(config.ldap),
    selfRegistration: config.selfRegistration,
    projectCreationRestriction: config.projectCreationRestriction,
    tokenExpirationMinutes: config.token.expirationMinutes,
    robotTokenDurationDays: defaultRobotTokenDurationDays,
  };
}

export type ConfigurationValue = string | number | boolean;

/**
 * One key of Harbor's `Configurations`: its type and allowed values, where
 * it lives in SystemSettings, and whether it is a secret (accepted, stored
 * encrypted, never shown).
 */
export interface ConfigurationItem {
  kind: 'string' | 'boolean' | 'integer';
  schema: z.ZodType<ConfigurationValue>;
  read(settings: SystemSettings): ConfigurationValue;
  write(settings: SystemSettings, value: ConfigurationValue): SystemSettings;
  secret?: boolean;
}

/** Harbor numbers LDAP scopes 0 (base), 1 (one level), 2 (subtree). */
const scopes = ['base', 'one', 'sub'] as const;

const text = (max = 1024) => z.string().max(max);
const dnText = text().refine((v) => v.trim() === '' || normalizeDn(v) !== null, 'expected a DN such as dc=example,dc=com, or empty');
const filterText = text().refine((v) => v.trim() === '' || isFilter(wrapFilter(v)), 'expected an LDAP filter such as (objectClass=person), or empty');
const attributeName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected an attribute name').max(255);
const ldapUrl = z.string().max(1024).regex(/^(ldaps?:\/\/\S+)?$/, 'expected an ldap:// or ldaps:// URL, or empty');
const scope = z.number().int().min(0).max(2);

function isFilter(filter: string): boolean {
  try {
    parseFilter(filter);
    return true;
  } catch {
    return false;
  }
}

function stringItem(schema: z.ZodType<string>, read: (s: SystemSettings) => string, write: (s: SystemSettings, v: string) => SystemSettings, secret = false): ConfigurationItem {
  return { kind: 'string', schema, read, write: (s, v) => write(s, v as string), secret };
}
function booleanItem(read: (s: SystemSettings) => boolean, write: (s: SystemSettings, v: boolean) => SystemSettings): ConfigurationItem {
  return { kind: 'boolean', schema: z.boolean(), read, write: (s, v) => write(s, v as boolean) };
}
function integerItem(schema: z.ZodType<number>, read: (s: SystemSettings) => number, write: (s: SystemSettings, v: number) => SystemSettings): ConfigurationItem {
  return { kind: 'integer', schema, read, write: (s, v) => write(s, v as number) };
}
const ldap = (s: SystemSettings, change: Partial<LdapSettings>): SystemSettings => ({ ...s, ldap: { ...s.ldap, ...change } });
const group = (s: SystemSettings, change: Partial<LdapGroupConfig>): SystemSettings => ({ ...s, ldap: { ...s.ldap, group: { ...s.ldap.group, ...change } } });

/**
 * The keys of Harbor's `Configurations` this suite has, by Harbor's names.
 * Ranges follow harbor.cfg's (prepare's) rules, so an override can never be
 * a value harbor.cfg would have refused.
 */
export const configurationItems: Readonly<Record<string, ConfigurationItem>> = {
  auth_mode: stringItem(z.enum(['db_auth', 'ldap_auth']), (s) => s.authMode, (s, v) => ({ ...s, authMode: v as SystemSettings['authMode'] })),
  ldap_url: stringItem(ldapUrl, (s) => s.ldap.url, (s, v) => ldap(s, { url: v })),
  ldap_search_dn: stringItem(dnText, (s) => s.ldap.searchDn, (s, v) => ldap(s, { searchDn: v })),
  ldap_search_password: stringItem(text(), (s) => s.ldap.searchPassword, (s, v) => ldap(s, { searchPassword: v }), true),
  ldap_base_dn: stringItem(dnText, (s) => s.ldap.baseDn, (s, v) => ldap(s, { baseDn: v })),
  ldap_filter: stringItem(filterText, (s) => s.ldap.filter, (s, v) => ldap(s, { filter: v })),
  ldap_uid: stringItem(attributeName, (s) => s.ldap.uid, (s, v) => ldap(s, { uid: v })),
  ldap_scope: integerItem(scope, (s) => scopes.indexOf(s.ldap.scope), (s, v) => ldap(s, { scope: scopes[v]! })),
  ldap_timeout: integerItem(z.number().int().min(1).max(3600), (s) => s.ldap.timeoutSeconds, (s, v) => ldap(s, { timeoutSeconds: v })),
  ldap_verify_cert: booleanItem((s) => s.ldap.verifyCertificate, (s, v) => ldap(s, { verifyCertificate: v })),
  ldap_group_base_dn: stringItem(dnText, (s) => s.ldap.group.baseDn, (s, v) => group(s, { baseDn: v })),
  ldap_group_search_filter: stringItem(filterText, (s) => s.ldap.group.filter, (s, v) => group(s, { filter: v })),
  ldap_group_attribute_name: stringItem(attributeName, (s) => s.ldap.group.nameAttribute, (s, v) => group(s, { nameAttribute: v })),
  ldap_group_search_scope: integerItem(scope, (s) => scopes.indexOf(s.ldap.group.scope), (s, v) => group(s, { scope: scopes[v]! })),
  ldap_group_admin_dn: stringItem(dnText, (s) => s.ldap.group.adminDn, (s, v) => group(s, { adminDn: v })),
  ldap_group_membership_attribute: stringItem(attributeName, (s) => s.ldap.group.membershipAttribute, (s, v) => group(s, { membershipAttribute: v })),
  self_registration: booleanItem((s) => s.selfRegistration, (s, v) => ({ ...s, selfRegistration: v })),
  project_creation_restriction: stringItem(
    z.enum(['everyone', 'adminonly']),
    (s) => s.projectCreationRestriction,
    (s, v) => ({ ...s, projectCreationRestriction: v as SystemSettings['projectCreationRestriction'] }),
  ),
  token_expiration: integerItem(z.number().int().min(1).max(525_600), (s) => s.tokenExpirationMinutes, (s, v) => ({ ...s, tokenExpirationMinutes: v })),
  robot_token_duration: integerItem(z.number().int().min(1).max(36_500), (s) => s.robotTokenDurationDays, (s, v) => ({ ...s, robotTokenDurationDays: v })),
};

/** Why a configuration value cannot be taken (unknown key, wrong type, out of range); null when it can. */
export function configurationProblem(name: string, value: unknown): string | null {
  const item = Object.hasOwn(configurationItems, name) ? configurationItems[name] : undefined;
  // The name may be anything a caller sent: echo a bounded part of it.
  if (!item) return `${name.slice(0, 64)} is not a configuration this suite has`;
  const parsed = item.schema.safeParse(value);
  if (parsed.success) return null;
  if (value === null || typeof value !== (item.kind === 'integer' ? 'number' : item.kind)) return `${name} must be ${item.kind === 'integer' ? 'an integer' : `a ${item.kind}`}`;
  return `${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}

/** The settings with the given (already checked) values applied, in order. */
export function withValues(settings: SystemSettings, values: Record<string, ConfigurationValue>): SystemSettings {
  let next = settings;
  for (const [name, value] of Object.entries(values)) {
    const item = configurationItems[name];
    if (item) next = item.write(next, value);
  }
  return next;
}

/** Settings that are each valid but do not go together; null when they do. */
export function settingsProblem(settings: SystemSettings): string | null {
  if (settings.authMode === 'ldap_auth' && settings.ldap.url === '') return 'auth_mode ldap_auth needs ldap_url';
  return null;
}
