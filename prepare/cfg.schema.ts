import { z } from 'zod';
import { normaliseRedisUrl } from './redis-url';
import { parseSize } from './size.parser';
import { parseStorageOptions } from './storage-options.parser';

/**
 * The keys harbor.cfg accepts. Each key has a zod schema from its raw text to
 * its typed value, the phrase an error uses for what is expected, and either
 * a default (the value harbor.cfg.example documents) or `required`.
 * harbor.cfg.example documents every key listed here; a test keeps the two
 * in step.
 */
interface KeySpec<T> {
  schema: z.ZodType<T, z.ZodTypeDef, string>;
  expected: string;
  default?: string;
  required?: true;
  /** Never echo the value in an error (passwords). */
  secret?: true;
}

function key<T>(schema: z.ZodType<T, z.ZodTypeDef, string>, expected: string, options: Omit<KeySpec<T>, 'schema' | 'expected'>): KeySpec<T> {
  return { schema, expected, ...options };
}

const text = z.string();
const nonEmpty = z.string().min(1);
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const port = integer(1, 65535);
const oneOf = <T extends [string, ...string[]]>(...values: T) => z.enum(values);
const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');
const trueFalse = z.enum(['true', 'false']).transform((v) => v === 'true');
/** A DNS name, an IPv4 address or a bracketed IPv6 address; no scheme, no port. */
const hostPattern = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/;
const host = z.string().regex(hostPattern);
const absolutePath = z.string().regex(/^\//);
const optionalAbsolutePath = z.string().regex(/^(\/.*)?$/);

export const cfgKeys = {
  hostname: key(host, 'the host name or IP address clients use to reach Harbor (no scheme, no port)', { required: true }),
  ui_url_protocol: key(oneOf('http', 'https'), 'one of http, https', { default: 'http' }),
  http_port: key(port, 'a port number 1-65535', { default: '80' }),
  https_port: key(port, 'a port number 1-65535', { default: '443' }),
  ssl_cert: key(optionalAbsolutePath, 'an absolute path to a PEM certificate (needed when ui_url_protocol = https)', { default: '/data/cert/server.crt' }),
  ssl_cert_key: key(optionalAbsolutePath, 'an absolute path to a PEM private key (needed when ui_url_protocol = https)', { default: '/data/cert/server.key' }),
  secretkey_path: key(absolutePath, 'an absolute directory path', { default: '/data' }),
  data_volume: key(absolutePath, 'an absolute directory path', { default: '/data' }),
  log_location: key(absolutePath, 'an absolute directory path', { default: '/var/log/harbor' }),
  log_level: key(oneOf('error', 'warn', 'info', 'debug'), 'one of error, warn, info, debug', { default: 'info' }),
  harbor_admin_password: key(nonEmpty, 'a non-empty password', { default: 'Harbor12345', secret: true }),
  auth_mode: key(oneOf('db_auth', 'ldap_auth'), 'one of db_auth, ldap_auth', { default: 'db_auth' }),
  ldap_url: key(z.string().regex(/^(ldaps?:\/\/\S+)?$/), 'an ldap:// or ldaps:// URL (needed when auth_mode = ldap_auth)', { default: '' }),
  ldap_searchdn: key(text, 'the DN of the account that searches the directory (empty for anonymous search)', { default: '' }),
  ldap_search_pwd: key(text, "the search account's password", { default: '', secret: true }),
  ldap_basedn: key(text, 'the base DN users are searched under (needed when auth_mode = ldap_auth)', { default: '' }),
  ldap_filter: key(text, 'an LDAP filter such as (objectClass=person), or empty', { default: '' }),
  ldap_uid: key(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/), 'the attribute matched against the user name, such as uid or cn', { default: 'uid' }),
  ldap_scope: key(
    z.enum(['0', '1', '2']).transform((v) => (['base', 'one', 'sub'] as const)[Number(v)]),
    'one of 0 (base), 1 (one level), 2 (subtree)',
    { default: '2' },
  ),
  ldap_timeout: key(integer(1, 3600), 'a whole number of seconds, 1-3600', { default: '5' }),
  ldap_verify_cert: key(trueFalse, 'true or false', { default: 'true' }),
  ldap_group_basedn: key(text, 'the base DN groups are searched under, or empty for ldap_basedn', { default: '' }),
  ldap_group_filter: key(text, 'an LDAP filter matching group entries, such as (objectClass=groupOfNames)', { default: '(objectClass=groupOfNames)' }),
  ldap_group_gid: key(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/), "the attribute holding a group's name, such as cn", { default: 'cn' }),
  ldap_group_scope: key(
    z.enum(['0', '1', '2']).transform((v) => (['base', 'one', 'sub'] as const)[Number(v)]),
    'one of 0 (base), 1 (one level), 2 (subtree)',
    { default: '2' },
  ),
  ldap_group_admin_dn: key(text, 'the DN of a group whose members are system admins, or empty', { default: '' }),
  ldap_group_membership_attribute: key(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/), "the user attribute listing the user's groups, such as memberof", {
    default: 'memberof',
  }),
  self_registration: key(onOff, 'on or off', { default: 'on' }),
  token_expiration: key(integer(1, 525600), 'a whole number of minutes, 1-525600', { default: '30' }),
  project_creation_restriction: key(oneOf('everyone', 'adminonly'), 'one of everyone, adminonly', { default: 'everyone' }),
  db_host: key(host, 'a host name or IP address', { default: '127.0.0.1' }),
  db_port: key(port, 'a port number 1-65535', { default: '3306' }),
  db_name: key(z.string().regex(/^[A-Za-z0-9_]+$/), 'a database name of letters, digits and _', { default: 'registry' }),
  db_user: key(nonEmpty, 'a non-empty user name', { default: 'root' }),
  db_password: key(text, "the database user's password (may be empty, but the key must be set)", { required: true, secret: true }),
  redis_url: key(
    z
      .string()
      .refine((v) => normaliseRedisUrl(v) !== null)
      .transform((v) => normaliseRedisUrl(v) as URL),
    'redis://host:port/db (or host:port)',
    { default: 'redis://127.0.0.1:6379/0' },
  ),
  redis_key_prefix: key(z.string().regex(/^[A-Za-z0-9_-]+$/), 'letters, digits, _ and -', { default: 'harbor' }),
  max_job_workers: key(integer(1, 1000), 'a whole number 1-1000', { default: '10' }),
  log_rotate_count: key(integer(0, 1000), 'a whole number 0-1000', { default: '50' }),
  log_rotate_size: key(
    z
      .string()
      .refine((v) => (parseSize(v) ?? 0) >= 1024)
      .transform((v) => parseSize(v) as number),
    'a size of at least 1K: a number with a K, M or G unit, such as 200M',
    { default: '200M' },
  ),
  registry_storage_provider_name: key(oneOf('filesystem', 's3'), 'one of filesystem, s3', { default: 'filesystem' }),
  registry_storage_provider_config: key(
    z
      .string()
      .refine((v) => 'options' in parseStorageOptions(v))
      .transform((v) => (parseStorageOptions(v) as { options: Record<string, string> }).options),
    '"key: value, key: value" (empty for filesystem)',
    { default: '', secret: true },
  ),
  registry_max_blob_size: key(
    z
      .string()
      .refine((v) => parseSize(v) !== null)
      .transform((v) => parseSize(v) as number),
    'a size with a K, M or G unit, such as 10G, or 0 for no limit',
    { default: '0' },
  ),
  registry_max_manifest_size: key(
    z
      .string()
      .refine((v) => (parseSize(v) ?? 0) >= 1024)
      .transform((v) => parseSize(v) as number),
    'a size of at least 1K: a number with a K, M or G unit, such as 4M',
    { default: '4M' },
  ),
  registry_chunk_min_size: key(
    z
      .string()
      .refine((v) => parseSize(v) !== null)
      .transform((v) => parseSize(v) as number),
    'a size with a K, M or G unit, such as 1M, or 0 to advertise none',
    { default: '1M' },
  ),
  registry_small_blob_memory: key(
    z
      .string()
      .refine((v) => parseSize(v) !== null)
      .transform((v) => parseSize(v) as number),
    'a size with a K, M or G unit, such as 64M, or 0 to hold none',
    { default: '64M' },
  ),
  registry_port: key(port, 'a port number 1-65535', { default: '5050' }),
  core_port: key(port, 'a port number 1-65535', { default: '8080' }),
  jobservice_port: key(port, 'a port number 1-65535', { default: '8090' }),
  log_port: key(port, 'a port number 1-65535', { default: '1514' }),
  internal_bind_host: key(host, 'a host name or IP address', { default: '127.0.0.1' }),
  upload_purge_age_minutes: key(integer(1, 525600), 'a whole number of minutes, 1-525600', { default: '1440' }),
  upload_purge_interval_minutes: key(integer(1, 525600), 'a whole number of minutes, 1-525600', { default: '60' }),
};

export type CfgKey = keyof typeof cfgKeys;
export const cfgKeyNames = Object.keys(cfgKeys) as CfgKey[];

/** harbor.cfg after validation: every key present, typed. */
export type HarborCfg = { [K in CfgKey]: (typeof cfgKeys)[K] extends KeySpec<infer T> ? T : never };
export type KeyLines = Partial<Record<CfgKey, number>>;
