import { posix } from 'node:path';
import type { HarborCfg } from './cfg.schema';
import { withRedisHost } from './redis-url';

export type PrepareMode = 'native' | 'compose';

/** Where the secrets live, as the services see them. */
export interface SecretPaths {
  secretKey: string;
  internalSecret: string;
  privateKey: string;
  publicKey: string;
}

/**
 * Everything the renderers need that is derived rather than read: URLs each
 * service uses to reach the others, the address services bind, and the
 * paths services open — all as seen from where the service runs (the host
 * natively; inside its container under compose).
 */
export interface Topology {
  mode: PrepareMode;
  externalUrl: string;
  bindHost: string;
  /** Port the proxy binds (inside its container under compose). */
  proxyPort: number;
  urls: { registry: string; core: string; jobservice: string };
  logCollector: { host: string; port: number };
  dataDirectory: string;
  logDirectory: string;
  secrets: SecretPaths;
  tls: { certPath: string; keyPath: string } | null;
  database: { host: string; port: number };
  redisUrl: string;
  /** Compose only: whether the bundled mariadb / redis containers serve the suite. */
  bundled: { mariadb: boolean; redis: boolean };
}

/** Compose service names; also the host names services use to reach each other there. */
export const composeNames = { registry: 'registry', core: 'core', jobservice: 'jobservice', log: 'log', proxy: 'proxy', mariadb: 'mariadb', redis: 'redis' } as const;

/** Fixed paths inside every container (see deploy/README.md). */
export const containerPaths = {
  data: '/data',
  logs: '/var/log/harbor',
  config: (service: string) => `/etc/harbor/${service}`,
  secrets: '/etc/harbor/secrets',
  tls: '/etc/harbor/tls',
} as const;

/** Unprivileged ports the proxy binds inside its container; compose publishes http_port/https_port onto them. */
export const containerProxyPorts = { http: 8080, https: 8443 } as const;

/** `<ui_url_protocol>://<hostname>`, plus `:<port>` unless it is the protocol's default port. */
export function externalUrlOf(cfg: Pick<HarborCfg, 'ui_url_protocol' | 'hostname' | 'http_port' | 'https_port'>): string {
  const https = cfg.ui_url_protocol === 'https';
  const port = https ? cfg.https_port : cfg.http_port;
  const defaultPort = https ? 443 : 80;
  return `${cfg.ui_url_protocol}://${cfg.hostname}${port === defaultPort ? '' : `:${port}`}`;
}

export function secretPathsUnder(directory: string): SecretPaths {
  return {
    secretKey: posix.join(directory, 'secretkey'),
    internalSecret: posix.join(directory, 'internal_secret'),
    privateKey: posix.join(directory, 'token', 'private_key.pem'),
    publicKey: posix.join(directory, 'token', 'public_key.pem'),
  };
}

/** Loopback inside a container is the container itself, so under compose it means "the bundled service". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

export function topologyOf(cfg: HarborCfg, mode: PrepareMode): Topology {
  const https = cfg.ui_url_protocol === 'https';
  const externalUrl = externalUrlOf(cfg);
  if (mode === 'native') {
    const at = (port: number) => `http://${cfg.internal_bind_host}:${port}`;
    return {
      mode,
      externalUrl,
      bindHost: cfg.internal_bind_host,
      proxyPort: https ? cfg.https_port : cfg.http_port,
      urls: { registry: at(cfg.registry_port), core: at(cfg.core_port), jobservice: at(cfg.jobservice_port) },
      logCollector: { host: cfg.internal_bind_host, port: cfg.log_port },
      dataDirectory: cfg.data_volume,
      logDirectory: cfg.log_location,
      secrets: secretPathsUnder(cfg.secretkey_path),
      tls: https ? { certPath: cfg.ssl_cert, keyPath: cfg.ssl_cert_key } : null,
      database: { host: cfg.db_host, port: cfg.db_port },
      redisUrl: cfg.redis_url.href,
      bundled: { mariadb: false, redis: false },
    };
  }
  const at = (name: string, port: number) => `http://${name}:${port}`;
  const mariadb = isLoopback(cfg.db_host) || cfg.db_host === composeNames.mariadb;
  const redis = isLoopback(cfg.redis_url.hostname) || cfg.redis_url.hostname === composeNames.redis;
  return {
    mode,
    externalUrl,
    bindHost: '0.0.0.0',
    proxyPort: https ? containerProxyPorts.https : containerProxyPorts.http,
    urls: {
      registry: at(composeNames.registry, cfg.registry_port),
      core: at(composeNames.core, cfg.core_port),
      jobservice: at(composeNames.jobservice, cfg.jobservice_port),
    },
    logCollector: { host: composeNames.log, port: cfg.log_port },
    dataDirectory: containerPaths.data,
    logDirectory: containerPaths.logs,
    secrets: secretPathsUnder(containerPaths.secrets),
    tls: https ? { certPath: `${containerPaths.tls}/server.crt`, keyPath: `${containerPaths.tls}/server.key` } : null,
    // The bundled MariaDB listens on its default port whatever db_port says.
    database: mariadb ? { host: composeNames.mariadb, port: 3306 } : { host: cfg.db_host, port: cfg.db_port },
    redisUrl: redis ? withRedisHost(withPort(cfg.redis_url, '6379'), composeNames.redis) : cfg.redis_url.href,
    bundled: { mariadb, redis },
  };
}

function withPort(url: URL, port: string): URL {
  const copy = new URL(url.href);
  copy.port = port;
  return copy;
}
