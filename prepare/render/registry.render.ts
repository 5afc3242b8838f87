import { posix } from 'node:path';
import type { RegistryConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';
import { databaseFor, tokenFor } from './shared';
import { logSinkFor } from './log-sink';

/** Where the filesystem driver keeps blobs, as the services see it. */
export function registryStorageDirectory(topology: Topology): string {
  return posix.join(topology.dataDirectory, 'registry');
}

export function renderRegistry(cfg: HarborCfg, topology: Topology): RegistryConfig {
  return {
    listen: { host: topology.bindHost, port: cfg.registry_port },
    externalUrl: topology.externalUrl,
    database: databaseFor(cfg, topology),
    redisUrl: topology.redisUrl,
    storage:
      cfg.registry_storage_provider_name === 's3'
        ? { provider: 's3', options: cfg.registry_storage_provider_config }
        : { provider: 'filesystem', rootDirectory: registryStorageDirectory(topology) },
    token: tokenFor(topology),
    notificationUrl: `${topology.urls.core}/service/notifications`,
    internalSecretPath: topology.secrets.internalSecret,
    log: logSinkFor('registry', cfg, topology),
    limits: {
      maxBlobBytes: cfg.registry_max_blob_size,
      maxManifestBytes: cfg.registry_max_manifest_size,
      chunkMinBytes: cfg.registry_chunk_min_size,
      smallBlobMemoryBytes: cfg.registry_small_blob_memory,
    },
  };
}
