import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { hostname } from 'node:os';
import {
  ConfigError,
  configPathFromArgs,
  loadServiceConfig,
  readSecret,
  RegistryConfig,
  registryConfigSchema,
  registryLimitsSchema,
} from '@harbor/config';
import { connect, migrateToLatest } from '@harbor/db';
import { close, listen, onShutdown } from '@harbor/http';
import { createLogger, Logger } from '@harbor/logging';
import { createRegistryHttp } from './app';
import { TokenVerifier } from './auth/token-verifier';
import { BlobDao } from './dao/blob.dao';
import { ManifestDao } from './dao/manifest.dao';
import { ProjectDao } from './dao/project.dao';
import { RepositoryDao } from './dao/repository.dao';
import { TagDao } from './dao/tag.dao';
import { UploadDao } from './dao/upload.dao';
import { EventNotifier } from './events/event-notifier';
import { PullCounter } from './events/pull-counter';
import { BlobUploads } from './services/blob-uploads.service';
import { Blobs } from './services/blobs.service';
import { Listing } from './services/listing.service';
import { Manifests } from './services/manifests.service';
import { Referrers } from './services/referrers.service';
import { Repositories } from './services/repositories.service';
import { createStorageDriver } from './storage/create-driver';
import { FileHashing } from './support/file-hashing';
import { KeyedMutex } from './support/keyed-mutex';
import { StreamHashing } from './support/stream-hashing';

export interface StartOptions {
  /** Defaults to the logger the config describes. */
  logger?: Logger;
  /** Retry delays for registry events (tests shorten them). */
  eventRetryDelaysMs?: number[];
  /** Also serve the same registry through Express alone (no /v2 fast path) on another free port, for tests comparing the two. */
  alsoWithoutFastPath?: boolean;
}

export interface RunningRegistry {
  port: number;
  /** Set with `alsoWithoutFastPath`. */
  portWithoutFastPath?: number;
  /** Requests the /v2 fast path has served so far. */
  fastPathServed(): number;
  stop(): Promise<void>;
}

/** Idle time after which a silent client's connection is dropped (an upload that stalls this long is abandoned). */
const socketIdleMs = 10 * 60_000;

/** Assembles the registry from its config and starts listening. */
export async function start(config: RegistryConfig, options: StartOptions = {}): Promise<RunningRegistry> {
  const logger = options.logger ?? createLogger(config.log);
  const publicKey = readFileSync(config.token.publicKeyPath, 'utf8');
  const internalSecret = readSecret(config.internalSecretPath);
  const storage = createStorageDriver(config.storage);
  // Local files are hashed on a worker thread as they grow; other media in the stream, on this thread.
  const hashing =
    config.storage.provider === 'filesystem' ? new FileHashing(config.storage.rootDirectory) : new StreamHashing(storage);
  const limits = registryLimitsSchema.parse(config.limits ?? {});

  const db = connect(config.database);
  await migrateToLatest(db);

  const projectDao = new ProjectDao(db);
  const repositoryDao = new RepositoryDao(db);
  const blobDao = new BlobDao(db, () =>
    logger.warning(
      "database procedure publish_blob is missing (restored from a dump made without --routines?): blob pushes take a slower way; " +
        "delete the row '0008-publish-blob' from schema_migration and restart the registry to make it again",
    ),
  );
  await blobDao.checkProcedure();
  const manifestDao = new ManifestDao(db);
  const tagDao = new TagDao(db);
  const uploadDao = new UploadDao(db);

  const repositories = new Repositories(projectDao, repositoryDao);
  const blobs = new Blobs(blobDao, repositories, storage);
  const uploads = new BlobUploads({
    uploads: uploadDao,
    blobs: blobDao,
    repositories,
    storage,
    hashing,
    locks: new KeyedMutex(),
    maxBlobBytes: limits.maxBlobBytes,
    smallBlobMemoryBytes: limits.smallBlobMemoryBytes,
  });
  const manifests = new Manifests(manifestDao, tagDao, blobDao, repositories);
  const listing = new Listing(repositories, repositoryDao, tagDao);

  let boundPort = config.listen.port;
  // Asked once: os.hostname() is a system call, and every pull event names its source.
  const host = hostname();
  const notifier = new EventNotifier({
    url: config.notificationUrl,
    internalSecret,
    externalUrl: config.externalUrl,
    sourceAddr: () => `${host}:${boundPort}`,
    logger,
    retryDelaysMs: options.eventRetryDelaysMs,
  });
  const pulls = new PullCounter(repositoryDao, logger);
  const tokens = new TokenVerifier({ publicKey, issuer: config.token.issuer, audience: config.token.service });

  const http = createRegistryHttp({
    logger,
    tokens,
    challenge: { realm: `${config.externalUrl.replace(/\/$/, '')}/service/token`, service: config.token.service },
    internalSecret,
    blobs,
    uploads,
    manifests,
    referrers: new Referrers(manifestDao),
    listing,
    notifier,
    pulls,
    health: { db, storage },
    limits,
  });

  const server = configure(createServer(http.listener));
  boundPort = await listen(server, config.listen.port, config.listen.host);
  const plain = options.alsoWithoutFastPath ? configure(createServer(http.app)) : null;
  const portWithoutFastPath = plain ? await listen(plain, 0, config.listen.host) : undefined;
  logger.info(`registry listening on ${config.listen.host}:${boundPort} (storage: ${storage.name})`);

  return {
    port: boundPort,
    ...(portWithoutFastPath !== undefined ? { portWithoutFastPath } : {}),
    fastPathServed: () => http.listener.stats.served,
    async stop() {
      await close(server);
      if (plain) await close(plain);
      await notifier.stop();
      await pulls.stop();
      await db.destroy();
      await hashing.close();
    },
  };
}

function configure(server: Server): Server {
  // Layers of several GB take longer than node's default 5-minute request limit; idleness is what ends them.
  server.requestTimeout = 0;
  server.setTimeout(socketIdleMs);
  server.keepAliveTimeout = 65_000;
  return server;
}

async function main(): Promise<void> {
  const config = loadServiceConfig(registryConfigSchema, configPathFromArgs(process.argv));
  const logger = createLogger(config.log);
  const registry = await start(config, { logger });
  onShutdown(logger, registry.stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    // A bad config is the operator's to fix: the message names the key; a stack would only bury it.
    const text = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`registry failed to start: ${text}\n`);
    process.exit(1);
  });
}
