import { isAbsolute, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import type { HarborCfg } from './cfg.schema';
import { composeNames, containerPaths, topologyOf, type Topology } from './topology';

/** Where things are on the host, for the bind mounts and the build context. */
export interface ComposeLayout {
  /** Directory holding docker-compose.yml; relative paths in the file are relative to it. */
  composeDirectory: string;
  /** prepare's --out: holds `<service>/config.json`. */
  configDirectory: string;
  /** The repository root: the build context. */
  repoRoot: string;
  /** Image tag: the suite's version. */
  version: string;
}

/** uid/gid the service images run as (deploy/<svc>/Dockerfile); prepare chowns what they must read or write. */
export const containerUid = 10000;

export const mariadbEnvFile = (configDirectory: string) => `${configDirectory}/mariadb/env`;

const header = `# Rendered by prepare from harbor.cfg (node dist/prepare.js --mode compose).
# Do not edit: change harbor.cfg and run prepare again. See deploy/README.md.
`;

type ServiceSpec = Record<string, unknown>;

/**
 * docker-compose.yml for the suite: the five services built from
 * deploy/<svc>/Dockerfile, plus MariaDB and Redis containers when harbor.cfg
 * points at them (the compose names, or loopback, which inside a container
 * can only mean a bundled service). Configs are mounted read-only, each
 * service gets only the secret files it needs, and only the proxy (and the
 * log collector, on loopback, for local syslog senders) publish ports.
 */
export function renderCompose(cfg: HarborCfg, layout: ComposeLayout): string {
  const topology = topologyOf(cfg, 'compose');
  const host = (path: string) => hostPath(path, layout.composeDirectory);
  const configMount = (service: string) => `${host(`${layout.configDirectory}/${service}`)}:${containerPaths.config(service)}:ro`;
  const secret = (name: string, hostFile: string) => `${hostFile}:${containerPaths.secrets}/${name}:ro`;
  const secretsOnHost = {
    secretkey: `${cfg.secretkey_path}/secretkey`,
    internal_secret: `${cfg.secretkey_path}/internal_secret`,
    privateKey: `${cfg.secretkey_path}/token/private_key.pem`,
    publicKey: `${cfg.secretkey_path}/token/public_key.pem`,
  };
  const context = hostPath(layout.repoRoot, layout.composeDirectory);
  // The registry's blobs: read-write for the registry, read-only for the proxy, which sends
  // blob bytes itself once the registry has checked the request (same path in both containers).
  const registryStorage = cfg.registry_storage_provider_name === 'filesystem' ? `${cfg.data_volume}/registry:${containerPaths.data}/registry` : null;
  // Its upload files, read-write for the proxy on top of that (same path again): the proxy writes
  // upload bodies into the files the registry created there, and nothing else.
  const registryUploads = cfg.registry_storage_provider_name === 'filesystem' ? `${cfg.data_volume}/registry/uploads:${containerPaths.data}/registry/uploads` : null;

  const suiteService = (service: string, extra: ServiceSpec): ServiceSpec => ({
    image: `harbor-ts/${service}:${layout.version}`,
    build: { context, dockerfile: `deploy/${service}/Dockerfile` },
    restart: 'always',
    ...extra,
  });
  const backing = backingDependencies(topology);

  const services: Record<string, ServiceSpec> = {
    [composeNames.log]: suiteService('log', {
      volumes: [configMount('log'), `${cfg.log_location}:${containerPaths.logs}`],
      ports: [`127.0.0.1:${cfg.log_port}:${cfg.log_port}/udp`, `127.0.0.1:${cfg.log_port}:${cfg.log_port}/tcp`],
      healthcheck: healthcheck(tcpProbe(cfg.log_port)),
    }),
    [composeNames.registry]: suiteService('registry', {
      depends_on: { log: { condition: 'service_started' }, ...backing },
      volumes: [
        configMount('registry'),
        ...(registryStorage ? [registryStorage] : []),
        secret('internal_secret', secretsOnHost.internal_secret),
        secret('token/public_key.pem', secretsOnHost.publicKey),
      ],
      healthcheck: healthcheck(httpProbe(cfg.registry_port, '/health')),
    }),
    [composeNames.core]: suiteService('core', {
      depends_on: { log: { condition: 'service_started' }, ...backing },
      volumes: [
        configMount('core'),
        secret('secretkey', secretsOnHost.secretkey),
        secret('internal_secret', secretsOnHost.internal_secret),
        secret('token/private_key.pem', secretsOnHost.privateKey),
        secret('token/public_key.pem', secretsOnHost.publicKey),
      ],
      healthcheck: healthcheck(httpProbe(cfg.core_port, '/api/v2.0/ping')),
    }),
    [composeNames.jobservice]: suiteService('jobservice', {
      depends_on: { log: { condition: 'service_started' }, ...(topology.bundled.redis ? { redis: backing.redis } : {}) },
      volumes: [configMount('jobservice'), secret('internal_secret', secretsOnHost.internal_secret)],
      healthcheck: healthcheck(httpProbe(cfg.jobservice_port, '/api/v1/health')),
    }),
    [composeNames.proxy]: suiteService('proxy', {
      depends_on: {
        log: { condition: 'service_started' },
        registry: { condition: 'service_healthy' },
        core: { condition: 'service_healthy' },
      },
      volumes: [
        configMount('proxy'),
        secret('internal_secret', secretsOnHost.internal_secret),
        ...(registryStorage ? [`${registryStorage}:ro`] : []),
        ...(registryUploads ? [registryUploads] : []),
        ...(topology.tls ? [`${cfg.ssl_cert}:${topology.tls.certPath}:ro`, `${cfg.ssl_cert_key}:${topology.tls.keyPath}:ro`] : []),
      ],
      ports: [`${topology.tls ? cfg.https_port : cfg.http_port}:${topology.proxyPort}`],
      healthcheck: healthcheck(tcpProbe(topology.proxyPort)),
    }),
  };

  if (topology.bundled.mariadb) {
    services[composeNames.mariadb] = {
      image: 'mariadb:11',
      restart: 'always',
      env_file: [host(mariadbEnvFile(layout.configDirectory))],
      volumes: [`${cfg.data_volume}/database:/var/lib/mysql`],
      healthcheck: healthcheck(['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized']),
    };
  }
  if (topology.bundled.redis) {
    services[composeNames.redis] = {
      image: 'redis:7',
      restart: 'always',
      volumes: [`${cfg.data_volume}/redis:/data`],
      healthcheck: healthcheck(['CMD', 'redis-cli', 'ping']),
    };
  }

  return header + stringify({ name: 'harbor-ts', services }, {
      lineWidth: 0,
      // Quoted strings: "80:8080" must never read as a number; no anchors: the file is for people too.
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'PLAIN',
      aliasDuplicateObjects: false,
    });
}

/**
 * The bundled MariaDB's environment (written 0600 next to the configs, not
 * into the compose file, because it holds the database password). Single
 * quotes keep compose from interpolating `$` in passwords.
 */
export function renderMariadbEnv(cfg: HarborCfg): string {
  const quote = (v: string) => (v.includes("'") ? JSON.stringify(v) : `'${v}'`);
  const lines = [`MARIADB_DATABASE=${quote(cfg.db_name)}`];
  if (cfg.db_user === 'root') {
    lines.push(cfg.db_password === '' ? 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1' : `MARIADB_ROOT_PASSWORD=${quote(cfg.db_password)}`);
  } else {
    lines.push('MARIADB_RANDOM_ROOT_PASSWORD=1', `MARIADB_USER=${quote(cfg.db_user)}`, `MARIADB_PASSWORD=${quote(cfg.db_password)}`);
  }
  return `${lines.join('\n')}\n`;
}

function backingDependencies(topology: Topology): { mariadb?: { condition: string }; redis?: { condition: string } } {
  return {
    ...(topology.bundled.mariadb ? { mariadb: { condition: 'service_healthy' } } : {}),
    ...(topology.bundled.redis ? { redis: { condition: 'service_healthy' } } : {}),
  };
}

function healthcheck(test: string[]) {
  return { test, interval: '10s', timeout: '5s', retries: 6, start_period: '20s' };
}

/** The images have node but no curl: probe with node itself. */
function httpProbe(port: number, path: string): string[] {
  const script = `fetch('http://127.0.0.1:${port}${path}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}

function tcpProbe(port: number): string[] {
  const script = `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}

/** `./sub/dir` for paths under the compose file's directory (portable checkouts), absolute otherwise. */
function hostPath(path: string, composeDirectory: string): string {
  const rel = relative(composeDirectory, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return `./${rel.split(sep).join('/')}`;
}
