import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyConfig } from '@harbor/config';
import { silentLogger, type Logger } from '@harbor/logging';
import { start, type RunningProxy } from '../main';

/** What a stand-in upstream saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export interface StandIn {
  name: string;
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export type StandInHandler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

/**
 * A small HTTP server playing an upstream (registry or core). By default it
 * reads the whole body, then answers JSON naming itself and what it got.
 */
export async function startStandIn(name: string, handler?: StandInHandler): Promise<StandIn> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes: 0 };
    seen.push(entry);
    if (handler) {
      handler(req, res, entry);
      return;
    }
    req.on('data', (chunk: Buffer) => (entry.bodyBytes += chunk.length));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ upstream: name, url: req.url, bodyBytes: entry.bodyBytes }));
    });
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The internal secret of the test proxies: the stand-in registries expect it on hand-over requests. */
export const handOverSecret = 'proxy-tests-internal-secret';

let secretFile: string | null = null;

/** A file holding `handOverSecret`, made once per test process under the OS's temp directory. */
function handOverSecretPath(): string {
  if (secretFile === null) {
    const dir = mkdtempSync(join(tmpdir(), 'harbor-proxy-secret-'));
    secretFile = join(dir, 'internal_secret');
    writeFileSync(secretFile, `${handOverSecret}\n`, { mode: 0o600 });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return secretFile;
}

export function proxyConfig(registryUrl: string, coreUrl: string, overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    externalUrl: 'http://harbor.test',
    upstreams: { registry: registryUrl, core: coreUrl },
    registryTimeoutSeconds: 3600,
    tls: null,
    blobFiles: null,
    uploadFiles: null,
    internalSecretPath: handOverSecretPath(),
    log: { service: 'proxy', level: 'info', syslog: null, stdout: false },
    ...overrides,
  };
}

export async function startProxy(config: ProxyConfig, logger: Logger = silentLogger()): Promise<RunningProxy> {
  return start(config, { logger });
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => unknown;
}

/** One request to the proxy with a raw path (no client-side normalisation). */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A proxy between two stand-in upstreams, as a describe block's tests see it. */
export interface ProxyBetweenStandIns {
  readonly registry: StandIn;
  readonly core: StandIn;
  readonly proxy: RunningProxy;
}

/**
 * Starts stand-ins for the registry and core and a proxy in front of them
 * before the enclosing describe block's tests, and stops all three after.
 * The fields are readable from the tests on.
 */
export function proxyBetweenStandIns(
  options: { registry?: StandInHandler; core?: StandInHandler; config?: Partial<ProxyConfig>; logger?: Logger } = {},
): ProxyBetweenStandIns {
  const running: { registry?: StandIn; core?: StandIn; proxy?: RunningProxy } = {};
  beforeAll(async () => {
    running.registry = await startStandIn('registry', options.registry);
    running.core = await startStandIn('core', options.core);
    running.proxy = await startProxy(proxyConfig(running.registry.url, running.core.url, options.config), options.logger);
  });
  afterAll(async () => {
    await running.proxy?.stop();
    await running.registry?.close();
    await running.core?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the proxy and its stand-ins start in beforeAll');
    return value;
  };
  return {
    get registry() {
      return started(running.registry);
    },
    get core() {
      return started(running.core);
    },
    get proxy() {
      return started(running.proxy);
    },
  };
}

/** Writes raw HTTP/1.1 (no client-side checks or framing) and reads until the proxy closes the connection. */
export function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}
