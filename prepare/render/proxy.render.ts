import type { ProxyConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';
import { logSinkFor } from './log-sink';
import { registryStorageDirectory } from './registry.render';

/** The public entry point: binds every interface on the public port (TLS when https). */
export function renderProxy(cfg: HarborCfg, topology: Topology): ProxyConfig {
  return {
    listen: { host: '0.0.0.0', port: topology.proxyPort },
    externalUrl: topology.externalUrl,
    upstreams: { registry: topology.urls.registry, core: topology.urls.core },
    registryTimeoutSeconds: 3600,
    tls: topology.tls,
    // The registry's storage, read-only, as the proxy sees it (natively the same path; a
    // read-only mount of it under compose): the proxy then sends blob bytes itself.
    blobFiles: cfg.registry_storage_provider_name === 'filesystem' ? { rootDirectory: registryStorageDirectory(topology) } : null,
    // The same root for the upload hand-over: the proxy writes upload bodies into the registry's
    // upload files (only below `uploads/`, which compose mounts read-write into the proxy), past
    // the page cache where the filesystem allows it.
    uploadFiles:
      cfg.registry_storage_provider_name === 'filesystem'
        ? { rootDirectory: registryStorageDirectory(topology), minBytes: 1024 * 1024, pauseAfterRefusals: 3, pauseSeconds: 60, directWrites: true }
        : null,
    // Hand-over requests carry it, so only the proxy can ask the registry for one.
    internalSecretPath: topology.secrets.internalSecret,
    log: logSinkFor('proxy', cfg, topology),
  };
}
