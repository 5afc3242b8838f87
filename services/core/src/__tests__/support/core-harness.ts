import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { createServer as createTcpServer, Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { CoreConfig } from '@harbor/config';
import { silentLogger, Logger } from '@harbor/logging';
import { createTestDatabase, rsaKeyPair, tempDir, TestDatabase, TempDir } from '@harbor/testkit';
import { ScryptPasswordHasher } from '../../auth/password-hasher';
import { start, RunningCore, StartOptions } from '../../main';

/** A cheap scrypt cost: same code path, a fraction of the time. */
export const testHasher = new ScryptPasswordHasher({ N: 1 << 10, r: 8, p: 1 });

export const adminPassword = 'Harbor12345';

/** One key pair for all test files in a worker: RSA generation is the slow part. */
let keys: { privateKey: string; publicKey: string } | undefined;
export function testKeys(): { privateKey: string; publicKey: string } {
  keys ??= rsaKeyPair(2048);
  return keys;
}

export interface Harness {
  url: string;
  http: ReturnType<typeof request>;
  config: CoreConfig;
  database: TestDatabase;
  internalSecret: string;
  publicKey: string;
  core: RunningCore;
  /** Starts another core on the same database (restarts, replicas). */
  startAnother(overrides?: Partial<CoreConfig>): Promise<RunningCore>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<CoreConfig>;
  logger?: Logger;
  healthTimeoutMs?: number;
  /** Use an existing database (restarts against the same data). */
  database?: TestDatabase;
  /** Login throttling and session lifetime, small for tests that wait them out. */
  startOptions?: Pick<StartOptions, 'loginThrottle' | 'sessionIdleMs'>;
}

/** Starts core in-process on a free port against a fresh database of its own. */
export async function startCore(options: HarnessOptions = {}): Promise<Harness> {
  const dir: TempDir = tempDir('harbor-core-');
  const { privateKey, publicKey } = testKeys();
  const internalSecret = 'internal-secret-for-tests-0123456789';
  writeFileSync(join(dir.path, 'private_key.pem'), privateKey, { mode: 0o600 });
  writeFileSync(join(dir.path, 'public_key.pem'), publicKey);
  writeFileSync(join(dir.path, 'internal_secret'), `${internalSecret}\n`, { mode: 0o600 });
  writeFileSync(join(dir.path, 'secretkey'), 'ab'.repeat(32), { mode: 0o600 });
  const database = options.database ?? (await createTestDatabase({ migrate: false }));

  const config: CoreConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    externalUrl: 'http://harbor.test:8080',
    database: database.config,
    redisUrl: 'redis://127.0.0.1:6379',
    token: {
      issuer: 'harbor-token-issuer',
      service: 'harbor-registry',
      publicKeyPath: join(dir.path, 'public_key.pem'),
      privateKeyPath: join(dir.path, 'private_key.pem'),
      expirationMinutes: 30,
    },
    adminInitialPassword: adminPassword,
    authMode: 'db_auth',
    ldap: {
      url: 'ldap://127.0.0.1:389', searchDn: '', searchPassword: '', baseDn: '', filter: '', uid: 'uid', scope: 'sub',
      timeoutSeconds: 5, verifyCertificate: true,
    },
    selfRegistration: false,
    projectCreationRestriction: 'everyone',
    internalSecretPath: join(dir.path, 'internal_secret'),
    secretKeyPath: join(dir.path, 'secretkey'),
    // Nothing listens on port 1: registry and jobservice read as down unless a test says otherwise.
    registryUrl: 'http://127.0.0.1:1',
    jobserviceUrl: 'http://127.0.0.1:1',
    logCollector: { host: '127.0.0.1', port: 1 },
    portalDirectory: null,
    log: { service: 'core', level: 'info', syslog: null, stdout: false },
    ...options.config,
  };
  const startOne = (overrides: Partial<CoreConfig> = {}) =>
    start({ ...config, ...overrides }, {
      logger: options.logger ?? silentLogger(),
      passwordHasher: testHasher,
      healthTimeoutMs: options.healthTimeoutMs ?? 1000,
      databaseWaitMs: 1000,
      ...options.startOptions,
    });
  const core = await startOne();
  const url = `http://127.0.0.1:${core.port}`;
  const others: RunningCore[] = [];
  return {
    url,
    http: request(url),
    config,
    database,
    internalSecret,
    publicKey,
    core,
    async startAnother(overrides) {
      const another = await startOne(overrides);
      others.push(another);
      return another;
    },
    async close() {
      for (const other of others) await other.stop();
      await core.stop();
      if (!options.database) await database.drop();
      dir.remove();
    },
  };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export const asAdmin = basic('admin', adminPassword);

/** Creates a user through the API as admin and returns its id and Authorization header. */
export async function createUser(h: Harness, username: string, password = 'Passw0rdX'): Promise<{ id: number; auth: string }> {
  const res = await h.http
    .post('/api/v2.0/users')
    .set('Authorization', asAdmin)
    .send({ username, email: `${username}@example.com`, realname: username, password });
  if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: Number(/\/users\/(\d+)$/.exec(res.headers.location!)![1]), auth: basic(username, password) };
}

export async function createProject(h: Harness, name: string, auth: string, isPublic = false): Promise<number> {
  const res = await h.http.post('/api/v2.0/projects').set('Authorization', auth).send({ project_name: name, metadata: { public: String(isPublic) } });
  if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(/\/projects\/(\d+)$/.exec(res.headers.location!)![1]);
}

export async function addMember(h: Harness, project: string | number, username: string, roleId: number, auth = asAdmin): Promise<number> {
  const res = await h.http
    .post(`/api/v2.0/projects/${project}/members`)
    .set('Authorization', auth)
    .send({ role_id: roleId, member_user: { username } });
  if (res.status !== 201) throw new Error(`adding ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return Number(/\/members\/(\d+)$/.exec(res.headers.location!)![1]);
}

/** A tiny HTTP server answering one path with a status (stand-in for the registry or jobservice). */
export async function healthServer(path: string, status: number, delayMs = 0): Promise<{ url: string; close(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.statusCode = req.url === path ? status : 404;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ status: status === 200 ? 'healthy' : 'unhealthy' }));
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function tcpListener(): Promise<{ port: number; close(): Promise<void> }> {
  const server: TcpServer = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
