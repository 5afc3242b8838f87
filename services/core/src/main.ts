import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { CoreConfig, configPathFromArgs, coreConfigSchema, loadServiceConfig, readSecret } from '@harbor/config';
import { connect, migrateToLatest } from '@harbor/db';
import { close, listen, onShutdown } from '@harbor/http';
import { createLogger, Logger } from '@harbor/logging';
import { createApp } from './app';
import { DbAuthenticator } from './auth/db-authenticator';
import { LdapAuthenticator } from './auth/ldap-authenticator';
import { LdapUserProvisioner } from './auth/ldap-user-provisioner';
import { PasswordHasher, ScryptPasswordHasher } from './auth/password-hasher';
import { TokenSigner } from './auth/token-signer';
import { VerificationCache } from './auth/verification-cache';
import { LoginGate } from './auth/login-gate';
import { defaultLoginThrottle, LoginThrottle, LoginThrottleOptions } from './auth/login-throttle';
import { RobotAuthenticator } from './auth/robot-authenticator';
import { ModeAuthenticator } from './auth/mode-authenticator';
import { SecretBox } from './auth/secret-box';
import { defaultSessionIdleMs, SessionStore } from './auth/session.store';
import { RobotController } from './controllers/robot.controller';
import { RobotDao } from './dao/robot.dao';
import { ArtifactController } from './controllers/artifact.controller';
import { ArtifactEventListener } from './controllers/artifact-event.listener';
import { AuditLog } from './controllers/audit-log';
import { AuditLogController } from './controllers/audit-log.controller';
import { bootstrap } from './controllers/bootstrap';
import { ConfigurationController } from './controllers/configuration.controller';
import { QuotaController } from './controllers/quota.controller';
import { ProjectMetadataController } from './controllers/project-metadata.controller';
import { SystemSettingsStore } from './controllers/system-settings';
import { HealthController } from './controllers/health.controller';
import { LdapController } from './controllers/ldap.controller';
import { MemberController } from './controllers/member.controller';
import { EventLogListener, NotificationController } from './controllers/notification.controller';
import { ProjectAccess } from './controllers/project-access';
import { ProjectController } from './controllers/project.controller';
import { PermissionController } from './controllers/permission.controller';
import { SearchController } from './controllers/search.controller';
import { StatisticsController } from './controllers/statistics.controller';
import { RepositoryController } from './controllers/repository.controller';
import { SystemInfoController } from './controllers/systeminfo.controller';
import { TokenController } from './controllers/token.controller';
import { UserController } from './controllers/user.controller';
import { UserGroupController } from './controllers/user-group.controller';
import { ArtifactDao } from './dao/artifact.dao';
import { ArtifactStatDao } from './dao/artifact-stat.dao';
import { AuditLogDao } from './dao/audit-log.dao';
import { MemberDao } from './dao/member.dao';
import { ProjectDao } from './dao/project.dao';
import { ProjectUsageDao } from './dao/project-usage.dao';
import { RepositoryDao } from './dao/repository.dao';
import { UserDao } from './dao/user.dao';
import { UserGroupDao } from './dao/user-group.dao';
import { SystemSettingDao } from './dao/system-setting.dao';
import { QuotaDao } from './dao/quota.dao';
import { settingsFromConfig } from './domain/system-settings';
import { databaseReady } from './database-ready';
import { databaseProbe } from './health/database.probe';
import { httpProbe } from './health/http.probe';
import { redisProbe } from './health/redis.probe';
import { tcpProbe } from './health/tcp.probe';
import { ImageConfigs } from './registry/image-configs';
import { coreUserAgentPrefix, RegistryClient } from './registry/registry-client';
import { harborVersion } from './version';

export interface StartOptions {
  logger?: Logger;
  /** Tests pass a cheaper scrypt cost; production uses the default. */
  passwordHasher?: PasswordHasher;
  healthTimeoutMs?: number;
  /** How long to wait for the database server at start. */
  databaseWaitMs?: number;
  /** Tests use small thresholds and cooldowns. */
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Idle lifetime of portal sessions. */
  sessionIdleMs?: number;
}

export interface RunningCore {
  port: number;
  stop(): Promise<void>;
}

/**
 * Assembles core from its config: every side effect (database, Redis, keys,
 * KDF, probes, logger) is made here and handed to the parts that use it.
 */
export async function start(config: CoreConfig, options: StartOptions = {}): Promise<RunningCore> {
  const logger = options.logger ?? createLogger(config.log);
  const privateKey = readFileSync(config.token.privateKeyPath, 'utf8');
  const publicKey = readFileSync(config.token.publicKeyPath, 'utf8');
  const internalSecret = readSecret(config.internalSecretPath);

  await databaseReady(config.database, logger, options.databaseWaitMs ?? 60_000);
  const db = connect(config.database);
  const redis = createClient({
    url: config.redisUrl,
    // Commands fail at once while Redis is away instead of queueing: health must say so, not hang.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * (retries + 1), 3000) },
  });
  let redisDown = false;
  redis.on('error', (err: Error) => {
    if (!redisDown) logger.warning(`redis: ${err.message}`);
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('redis: connected again');
    redisDown = false;
  });

  const stopResources = async () => {
    await redis.disconnect().catch(() => undefined);
    await db.destroy();
  };

  try {
    await migrateToLatest(db);
    redis.connect().catch(() => undefined);

    const hasher = options.passwordHasher ?? new ScryptPasswordHasher();
    const userDao = new UserDao(db);
    const projectDao = new ProjectDao(db);
    const projectUsage = new ProjectUsageDao(db);
    const memberDao = new MemberDao(db);
    await bootstrap({ users: userDao, projects: projectDao, hasher, logger }, config.adminInitialPassword);

    // harbor.cfg's settings with a system admin's changes (PUT /configurations) on top, read through a 5 s cache.
    const baseSettings = settingsFromConfig(config);
    if (baseSettings.authMode === 'ldap_auth' && baseSettings.ldap.url === '') throw new Error('authMode ldap_auth needs ldap.url');
    const settings = new SystemSettingsStore(new SystemSettingDao(db), baseSettings, new SecretBox(() => readSecret(config.secretKeyPath)), logger);
    await settings.current();

    const verificationCache = new VerificationCache({ ttlMs: 60_000, maxEntries: 10_000 });
    const dbAuthenticator = new DbAuthenticator(userDao, hasher, verificationCache);
    // LDAP: logins in ldap_auth mode; groups, ping and searches whenever a directory is configured.
    const provisioner = new LdapUserProvisioner(userDao);
    const userGroupDao = new UserGroupDao(db);
    const userGroups = new UserGroupController(userGroupDao, settings);
    const authenticator = new ModeAuthenticator(settings, {
      db_auth: dbAuthenticator,
      ldap_auth: new LdapAuthenticator({ settings, database: dbAuthenticator, users: userDao, groups: userGroupDao, provisioner, cache: verificationCache, logger }),
    });
    const robotDao = new RobotDao(db);
    // Per database: several suites (or test databases) may share one Redis without sharing sessions or counts.
    const redisPrefix = `harbor:core:${config.database.database}:`;
    const gate = new LoginGate(
      authenticator,
      new RobotAuthenticator(robotDao, hasher, new VerificationCache({ ttlMs: 60_000, maxEntries: 10_000 })),
      new LoginThrottle(redis, { ...defaultLoginThrottle, keyPrefix: `${redisPrefix}login:`, ...options.loginThrottle }, logger),
    );
    const sessions = new SessionStore(redis, { idleTimeoutMs: options.sessionIdleMs ?? defaultSessionIdleMs, keyPrefix: `${redisPrefix}session:` });
    const access = new ProjectAccess(projectDao, memberDao);
    const signer = new TokenSigner({
      privateKey,
      publicKey,
      issuer: config.token.issuer,
      audience: config.token.service,
      expirationMinutes: config.token.expirationMinutes,
    });
    // Core's own registry calls: tokens signed here, one repository and minute each.
    const registryClient = new RegistryClient({
      baseUrl: config.registryUrl,
      signer: new TokenSigner({ privateKey, publicKey, issuer: config.token.issuer, audience: config.token.service, expirationMinutes: 1 }),
      internalSecret,
      userAgent: `${coreUserAgentPrefix}${harborVersion}`,
    });
    const audit = new AuditLog(new AuditLogDao(db), logger);
    const artifactStats = new ArtifactStatDao(db);
    const repositories = new RepositoryController(new RepositoryDao(db), access, registryClient, artifactStats, audit);
    const probes = [
      databaseProbe(db),
      redisProbe(redis),
      httpProbe('registry', new URL('/health', config.registryUrl).toString()),
      httpProbe('jobservice', new URL('/api/v1/health', config.jobserviceUrl).toString()),
      tcpProbe('log', config.logCollector.host, config.logCollector.port),
    ];
    const projects = new ProjectController(projectDao, memberDao, access, settings, projectUsage, audit);
    const app = createApp({
      callers: { gate, sessions, users: userDao, cookies: { secure: new URL(config.externalUrl).protocol === 'https:' }, logger },
      robots: new RobotController(robotDao, projectDao, access, hasher, settings),
      users: new UserController(userDao, hasher, settings),
      configurations: new ConfigurationController(settings, userDao, audit),
      quotas: new QuotaController(new QuotaDao(db)),
      projectMetadata: new ProjectMetadataController(projectDao, access),
      projects,
      search: new SearchController(projects, projectUsage),
      statistics: new StatisticsController(projectUsage),
      permissions: new PermissionController(access),
      members: new MemberController(memberDao, userDao, access, userGroups, audit),
      tokens: new TokenController(gate, access, signer, logger, settings),
      health: new HealthController(probes, options.healthTimeoutMs ?? 3000, logger),
      systemInfo: new SystemInfoController({
        settings,
        externalUrl: config.externalUrl,
        registryStorageProviderName: config.registryStorageProviderName,
        version: harborVersion,
      }),
      notifications: new NotificationController([new EventLogListener(logger), new ArtifactEventListener(artifactStats, projectDao, audit)], logger),
      repositories,
      artifacts: new ArtifactController(repositories, new ArtifactDao(db), artifactStats, new ImageConfigs(registryClient, logger), registryClient, audit),
      auditLogs: new AuditLogController(new AuditLogDao(db), access),
      userGroups,
      ldap: new LdapController(settings, provisioner, logger),
      internalSecret,
      version: harborVersion,
      portalDirectory: config.portalDirectory,
      logger,
    });

    const server = createServer(app);
    // Slow or stalled clients must not hold sockets for ever; keep-alive outlives the proxy's.
    server.headersTimeout = 20_000;
    server.requestTimeout = 60_000;
    server.keepAliveTimeout = 65_000;
    const port = await listen(server, config.listen.port, config.listen.host);
    logger.info(`core listening on ${config.listen.host}:${port}`);
    return {
      port,
      async stop() {
        await close(server);
        await stopResources();
      },
    };
  } catch (err) {
    await stopResources();
    throw err;
  }
}

if (require.main === module) {
  const config = loadServiceConfig(coreConfigSchema, configPathFromArgs(process.argv));
  const logger = createLogger(config.log);
  start(config, { logger })
    .then((core) => onShutdown(logger, core.stop))
    .catch((err: unknown) => {
      logger.error(`core failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      setTimeout(() => process.exit(1), 100);
    });
}
