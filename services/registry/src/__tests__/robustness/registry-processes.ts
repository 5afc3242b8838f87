import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { signRegistryToken } from '@harbor/auth';
import type { RegistryConfig } from '@harbor/config';
import type { Db } from '@harbor/db';
import { createTestDatabase, freePort, rsaKeyPair, tempDir, TestDatabase, waitFor } from '@harbor/testkit';

const repoRoot = resolve(__dirname, '../../../../..');
const mainJs = join(repoRoot, 'services/registry/dist/main.js');
const internalSecret = 'robustness-internal-secret';

/** `tsc -b` of the registry (a no-op when dist is current), so the children run the code under test. */
export function buildRegistry(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'services/registry'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(mainJs)) throw new Error(`${mainJs} missing after the build`);
}

export type StorageConfig = RegistryConfig['storage'];

/** What several registry processes share: one database (with project `library`), one storage, one key pair. */
export interface SharedSite {
  db: Db;
  storage: StorageConfig;
  storageRoot: string;
  /** Bearer header with pull, push and delete on `name`. */
  bearer(name: string): string;
  internalSecret: string;
  spawn(): Promise<RegistryProcess>;
  cleanup(): Promise<void>;
}

export interface RegistryProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function createSite(storage?: StorageConfig): Promise<SharedSite> {
  const database: TestDatabase = await createTestDatabase();
  await database.db.insertInto('project').values({ name: 'library', owner_id: 1 }).execute();
  const storageDir = tempDir('harbor-robust-storage-');
  const secrets = tempDir('harbor-robust-secrets-');
  const keys = rsaKeyPair();
  writeFileSync(join(secrets.path, 'public_key.pem'), keys.publicKey);
  writeFileSync(join(secrets.path, 'internal_secret'), `${internalSecret}\n`);
  const storageConfig: StorageConfig = storage ?? { provider: 'filesystem', rootDirectory: storageDir.path };
  const processes: RegistryProcess[] = [];

  const site: SharedSite = {
    db: database.db,
    storage: storageConfig,
    storageRoot: storageDir.path,
    internalSecret,
    bearer: (name) =>
      `Bearer ${
        signRegistryToken({
          privateKey: keys.privateKey,
          publicKey: keys.publicKey,
          issuer: 'harbor-token-issuer',
          audience: 'harbor-registry',
          subject: 'robot',
          access: [{ type: 'repository', name, actions: ['pull', 'push', 'delete'] }],
          expiresInSeconds: 3600,
        }).token
      }`,
    async spawn() {
      const port = await freePort();
      const config: RegistryConfig = {
        listen: { host: '127.0.0.1', port },
        externalUrl: 'http://registry.robustness.test',
        database: database.config,
        redisUrl: 'redis://127.0.0.1:6379',
        storage: storageConfig,
        token: { issuer: 'harbor-token-issuer', service: 'harbor-registry', publicKeyPath: join(secrets.path, 'public_key.pem') },
        // Nobody listens there: events are best effort and must not disturb anything.
        notificationUrl: `http://127.0.0.1:${await freePort()}/service/notifications`,
        internalSecretPath: join(secrets.path, 'internal_secret'),
        log: { service: 'registry', level: 'error', syslog: null, stdout: true },
      };
      const configPath = join(secrets.path, `registry-${port}.json`);
      writeFileSync(configPath, JSON.stringify(config));
      const child = spawn(process.execPath, [mainJs, '--config', configPath], { stdio: ['ignore', 'ignore', 'inherit'] });
      const url = `http://127.0.0.1:${port}`;
      await waitFor(`registry on ${port}`, async () => {
        if (child.exitCode !== null) throw new Error(`registry exited with ${child.exitCode}`);
        return (await fetch(`${url}/health`)).status === 200;
      }, { timeoutMs: 30_000, intervalMs: 200 });
      const running: RegistryProcess = {
        url,
        pid: child.pid!,
        child,
        async kill(signal) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill(signal);
          await exited;
        },
      };
      processes.push(running);
      return running;
    },
    async cleanup() {
      for (const p of processes) await p.kill('SIGTERM');
      await database.drop();
      storageDir.remove();
      secrets.remove();
    },
  };
  return site;
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Sends `body` as a request with a streamed (chunked) body; answers status, headers and the response text. */
export function streamRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Readable | null,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

/** Hashes the body of a GET as it streams; never holds it whole. */
export function pullDigest(url: string, auth: string): Promise<{ status: number; digest: string; size: number }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { headers: { Authorization: auth } }, (res) => {
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (c: Buffer) => {
        hash.update(c);
        size += c.length;
      });
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, digest: `sha256:${hash.digest('hex')}`, size }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts an upload session; answers its absolute Location. */
export async function startUpload(registry: RegistryProcess, name: string, auth: string): Promise<string> {
  const res = await fetch(`${registry.url}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: { Authorization: auth } });
  if (res.status !== 202) throw new Error(`upload start: ${res.status} ${await res.text()}`);
  return new URL(res.headers.get('location')!, registry.url).toString();
}

/** Monolithic push in one POST. */
export async function pushBlob(registry: RegistryProcess, name: string, bytes: Buffer, auth: string): Promise<string> {
  const digest = sha256(bytes);
  const res = await fetch(`${registry.url}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`blob push: ${res.status} ${await res.text()}`);
  return digest;
}

/** POST, PATCH in pieces, PUT: the chunked push docker does for big layers. */
export async function pushBlobChunked(registry: RegistryProcess, name: string, bytes: Buffer, auth: string, pieces = 3): Promise<string> {
  const digest = sha256(bytes);
  let location = await startUpload(registry, name, auth);
  const step = Math.ceil(bytes.length / pieces);
  for (let offset = 0; offset < bytes.length; offset += step) {
    const piece = bytes.subarray(offset, offset + step);
    const res = await fetch(location, {
      method: 'PATCH',
      headers: {
        Authorization: auth,
        'Content-Type': 'application/octet-stream',
        'Content-Range': `${offset}-${offset + piece.length - 1}`,
      },
      body: piece,
    });
    if (res.status !== 202) throw new Error(`chunk: ${res.status} ${await res.text()}`);
    location = new URL(res.headers.get('location')!, registry.url).toString();
  }
  const separator = location.includes('?') ? '&' : '?';
  const res = await fetch(`${location}${separator}digest=${digest}`, { method: 'PUT', headers: { Authorization: auth } });
  if (res.status !== 201) throw new Error(`upload finish: ${res.status} ${await res.text()}`);
  return digest;
}
