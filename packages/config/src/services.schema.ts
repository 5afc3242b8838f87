import { z } from 'zod';
import { databaseSchema, listenSchema, logSinkSchema, tokenSchema } from './common.schema';

/**
 * One schema per service: the JSON file `prepare` renders for it. A service
 * reads only its own file (and the key files that file points at).
 */

export const proxyConfigSchema = z.object({
  listen: listenSchema,
  externalUrl: z.string().url(),
  upstreams: z.object({ registry: z.string().url(), core: z.string().url() }),
  /** Idle timeout for /v2/ traffic; large layers over slow links need long ones. */
  registryTimeoutSeconds: z.number().int().min(1).default(3600),
  /** Set when ui_url_protocol = https: the proxy terminates TLS with these PEM files. */
  tls: z.object({ certPath: z.string().min(1), keyPath: z.string().min(1) }).nullable().default(null),
  /**
   * The registry's filesystem storage root, readable here: the proxy then sends
   * blob bytes itself once the registry has checked the request (see
   * `blob-offload` in @harbor/http). Null (s3, or no shared disk): bytes go through the registry.
   */
  blobFiles: z.object({ rootDirectory: z.string().min(1) }).nullable().default(null),
  /**
   * The registry's filesystem storage root, with `uploads/` writable here: the
   * proxy then writes upload bodies into the registry's upload files itself,
   * while the registry checks the request and hashes the file (see
   * `upload-offload` in @harbor/http). The proxy writes only below `uploads/`,
   * and only files the registry created. Null: upload bodies go through the registry.
   */
  uploadFiles: z
    .object({
      rootDirectory: z.string().min(1),
      /** Bodies announced shorter than this go through the registry: for small ones the hand-over's steps cost more than the hop. */
      minBytes: z.number().int().min(1).default(1024 * 1024),
      /** Offered files failing to open this many times in a row pause hand-overs (a root that is not the registry's)… */
      pauseAfterRefusals: z.number().int().min(1).default(3),
      /** …for this long; bodies go through the registry meanwhile. */
      pauseSeconds: z.number().int().min(0).default(60),
      /**
       * Write large bodies past the page cache (`O_DIRECT`) where the filesystem
       * allows it; false writes them all through the cache (see direct-writes.ts in the proxy).
       */
      directWrites: z.boolean().default(true),
    })
    .nullable()
    .default(null),
  /**
   * The internal secret, which the hand-over requests carry so that only the
   * proxy can ask for them (see `hand-over-secret` in @harbor/http). Null: no
   * hand-overs, whatever `blobFiles` and `uploadFiles` say.
   */
  internalSecretPath: z.string().min(1).nullable().default(null),
  log: logSinkSchema,
});

/** Size limits of the registry (bytes). Every key has a default, so older rendered configs stay valid. */
export const registryLimitsSchema = z.object({
  /** Largest blob accepted; 0 means no limit. */
  maxBlobBytes: z.number().int().min(0).default(0),
  /** Largest manifest accepted; the OCI spec recommends at least 4 MiB. */
  maxManifestBytes: z.number().int().min(1024).default(4 * 1024 * 1024),
  /** Advertised as `OCI-Chunk-Min-Length` on upload sessions (advisory, not enforced). */
  chunkMinBytes: z.number().int().min(0).default(1024 * 1024),
  /**
   * Memory all requests together may hold for whole blobs of at most 1 MiB,
   * which are then verified in memory and written straight to their place;
   * beyond it (and with 0) they go through an upload file like larger ones.
   */
  smallBlobMemoryBytes: z.number().int().min(0).default(64 * 1024 * 1024),
});

export const registryConfigSchema = z.object({
  listen: listenSchema,
  externalUrl: z.string().url(),
  database: databaseSchema,
  redisUrl: z.string().min(1),
  storage: z.discriminatedUnion('provider', [
    z.object({ provider: z.literal('filesystem'), rootDirectory: z.string().min(1) }),
    z.object({ provider: z.literal('s3'), options: z.record(z.string(), z.string()) }),
  ]),
  token: tokenSchema,
  /** Core's registry-event receiver. */
  notificationUrl: z.string().url(),
  internalSecretPath: z.string().min(1),
  log: logSinkSchema,
  /** Optional in the file; `registryLimitsSchema.parse(config.limits ?? {})` gives every default. */
  limits: registryLimitsSchema.optional(),
});

/**
 * How LDAP groups are found (Harbor's `ldap_group_*` keys). Every key has a
 * default, so configs rendered before groups existed stay valid:
 * `ldapGroupSchema.parse(config.ldap.group ?? {})` gives them all.
 */
export const ldapGroupSchema = z.object({
  /** Where groups are searched; empty means the users' `baseDn`. */
  baseDn: z.string().default(''),
  /** Which entries are groups. */
  filter: z.string().default('(objectClass=groupOfNames)'),
  /** The attribute holding a group's name (Harbor's `ldap_group_gid`). */
  nameAttribute: z.string().default('cn'),
  scope: z.enum(['base', 'one', 'sub']).default('sub'),
  /** Members of this group are system admins while logged in through LDAP; empty for none. */
  adminDn: z.string().default(''),
  /** The user-entry attribute listing the user's groups (memberOf overlay); groups naming the user in `member` count too. */
  membershipAttribute: z.string().default('memberof'),
});

export const ldapSchema = z.object({
  url: z.string(),
  searchDn: z.string(),
  searchPassword: z.string(),
  baseDn: z.string(),
  filter: z.string(),
  uid: z.string(),
  scope: z.enum(['base', 'one', 'sub']),
  timeoutSeconds: z.number().int().min(1),
  verifyCertificate: z.boolean(),
  group: ldapGroupSchema.optional(),
});

export const coreConfigSchema = z.object({
  listen: listenSchema,
  externalUrl: z.string().url(),
  database: databaseSchema,
  redisUrl: z.string().min(1),
  token: tokenSchema.extend({
    privateKeyPath: z.string().min(1),
    expirationMinutes: z.number().int().min(1),
  }),
  /** Used once, when the admin user does not exist yet. */
  adminInitialPassword: z.string().min(1),
  authMode: z.enum(['db_auth', 'ldap_auth']),
  ldap: ldapSchema,
  selfRegistration: z.boolean(),
  projectCreationRestriction: z.enum(['everyone', 'adminonly']),
  internalSecretPath: z.string().min(1),
  secretKeyPath: z.string().min(1),
  registryUrl: z.string().url(),
  jobserviceUrl: z.string().url(),
  logCollector: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  /** Static files of the portal; absent means the API-only landing page. */
  portalDirectory: z.string().nullable().default(null),
  /** The registry's storage driver, as `/systeminfo` reports it; absent means filesystem. */
  registryStorageProviderName: z.enum(['filesystem', 's3']).optional(),
  log: logSinkSchema,
});

export const jobserviceConfigSchema = z.object({
  listen: listenSchema,
  redisUrl: z.string().min(1),
  /** Key prefix for BullMQ, so several suites can share one Redis. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_-]+$/).default("harbor"),
  maxJobWorkers: z.number().int().min(1).max(1000),
  registryUrl: z.string().url(),
  coreUrl: z.string().url(),
  internalSecretPath: z.string().min(1),
  uploadPurge: z.object({
    /** Uploads untouched for longer than this are abandoned. */
    maxAgeMinutes: z.number().int().min(1),
    intervalMinutes: z.number().int().min(1),
  }),
  log: logSinkSchema,
});

export const logConfigSchema = z.object({
  listen: z.object({
    host: z.string().min(1),
    udpPort: z.number().int().min(0).max(65535),
    tcpPort: z.number().int().min(0).max(65535),
  }),
  logDirectory: z.string().min(1),
  rotateCount: z.number().int().min(0).max(1000),
  rotateSizeBytes: z.number().int().min(1024),
  log: logSinkSchema,
});

export type ProxyConfig = z.infer<typeof proxyConfigSchema>;
export type RegistryConfig = z.infer<typeof registryConfigSchema>;
export type RegistryLimits = z.infer<typeof registryLimitsSchema>;
export type LdapConfig = z.infer<typeof ldapSchema>;
export type LdapGroupConfig = z.infer<typeof ldapGroupSchema>;
export type CoreConfig = z.infer<typeof coreConfigSchema>;
export type JobserviceConfig = z.infer<typeof jobserviceConfigSchema>;
export type LogConfig = z.infer<typeof logConfigSchema>;

export const serviceConfigSchemas = {
  proxy: proxyConfigSchema,
  registry: registryConfigSchema,
  core: coreConfigSchema,
  jobservice: jobserviceConfigSchema,
  log: logConfigSchema,
} as const;
export type ServiceName = keyof typeof serviceConfigSchemas;
export const serviceNames = Object.keys(serviceConfigSchemas) as ServiceName[];
