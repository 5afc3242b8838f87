import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { signRegistryToken } from '@harbor/auth';
import type { RegistryConfig, RegistryLimits } from '@harbor/config';
import type { Db } from '@harbor/db';
import { listen, close } from '@harbor/http';
import { silentLogger } from '@harbor/logging';
import { digestOf, mediaTypes } from '@harbor/oci';
import { createTestDatabase, rsaKeyPair, tempDir } from '@harbor/testkit';
import request from 'supertest';
import { start } from '../main';
import type { RegistryEvent } from '../events/registry-event';

export const issuer = 'harbor-token-issuer';
export const service = 'harbor-registry';
export const internalSecret = 'test-internal-secret';

export interface ReceivedEvents {
  events: RegistryEvent[];
  authorizations: string[];
  contentTypes: string[];
}

export interface Harness {
  url: string;
  externalUrl: string;
  db: Db;
  storageRoot: string;
  received: ReceivedEvents;
  keys: { privateKey: string; publicKey: string };
  /** A token granting `scopes` like `repository:library/app:pull,push` or `registry:catalog:*`. */
  token(scopes: string[], options?: { subject?: string; expiresInSeconds?: number; now?: Date; privateKey?: string }): string;
  /** Bearer header for supertest. */
  bearer(...scopes: string[]): string;
  http: ReturnType<typeof request>;
  /** The same registry through Express alone, without the /v2 fast path (only with `alsoWithoutFastPath`). */
  httpWithoutFastPath?: ReturnType<typeof request>;
  /** Requests the /v2 fast path has served so far. */
  fastPathServed(): number;
  stop(): Promise<void>;
}

/**
 * A registry on a free port with its own migrated database, storage
 * directory, key pair and a stand-in for core's event receiver. Projects
 * `library` and `team` exist (core would have created them).
 */
export async function startRegistry(
  options: {
    keys?: { privateKey: string; publicKey: string };
    externalUrl?: string;
    limits?: Partial<RegistryLimits>;
    alsoWithoutFastPath?: boolean;
  } = {},
): Promise<Harness> {
  const database = await createTestDatabase();
  for (const name of ['library', 'team']) {
    await database.db.insertInto('project').values({ name, owner_id: 1 }).execute();
  }
  const storage = tempDir('harbor-registry-storage-');
  const secrets = tempDir('harbor-registry-secrets-');
  const keys = options.keys ?? rsaKeyPair();
  writeFileSync(join(secrets.path, 'public_key.pem'), keys.publicKey);
  writeFileSync(join(secrets.path, 'internal_secret'), `${internalSecret}\n`);

  const received: ReceivedEvents = { events: [], authorizations: [], contentTypes: [] };
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.authorizations.push(req.headers.authorization ?? '');
      received.contentTypes.push(req.headers['content-type'] ?? '');
      received.events.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { events: RegistryEvent[] }).events);
      res.end();
    });
  });
  const receiverPort = await listen(receiver, 0, '127.0.0.1');

  const externalUrl = options.externalUrl ?? 'http://registry.example.test';
  const config: RegistryConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    externalUrl,
    database: database.config,
    redisUrl: 'redis://127.0.0.1:6379',
    storage: { provider: 'filesystem', rootDirectory: storage.path },
    token: { issuer, service, publicKeyPath: join(secrets.path, 'public_key.pem') },
    notificationUrl: `http://127.0.0.1:${receiverPort}/service/notifications`,
    internalSecretPath: join(secrets.path, 'internal_secret'),
    log: { service: 'registry', level: 'info', syslog: null, stdout: false },
    ...(options.limits ? { limits: { maxBlobBytes: 0, maxManifestBytes: 4 * 1024 * 1024, chunkMinBytes: 1024 * 1024, smallBlobMemoryBytes: 64 * 1024 * 1024, ...options.limits } } : {}),
  };
  const registry = await start(config, {
    logger: silentLogger(),
    eventRetryDelaysMs: [10],
    ...(options.alsoWithoutFastPath ? { alsoWithoutFastPath: true } : {}),
  });
  const url = `http://127.0.0.1:${registry.port}`;

  const token: Harness['token'] = (scopes, options = {}) =>
    signRegistryToken({
      privateKey: options.privateKey ?? keys.privateKey,
      publicKey: keys.publicKey,
      issuer,
      audience: service,
      subject: options.subject ?? 'alice',
      access: scopes.map((s) => {
        const first = s.indexOf(':');
        const last = s.lastIndexOf(':');
        return { type: s.slice(0, first), name: s.slice(first + 1, last), actions: s.slice(last + 1).split(',') };
      }),
      expiresInSeconds: options.expiresInSeconds ?? 300,
      now: options.now,
    }).token;

  return {
    url,
    externalUrl,
    db: database.db,
    storageRoot: storage.path,
    received,
    keys,
    token,
    bearer: (...scopes) => `Bearer ${token(scopes)}`,
    http: request(url),
    ...(registry.portWithoutFastPath !== undefined ? { httpWithoutFastPath: request(`http://127.0.0.1:${registry.portWithoutFastPath}`) } : {}),
    fastPathServed: () => registry.fastPathServed(),
    async stop() {
      await registry.stop();
      await close(receiver);
      await database.drop();
      storage.remove();
      secrets.remove();
    },
  };
}

/** Scopes for full access to one repository. */
export const all = (name: string) => `repository:${name}:pull,push,delete`;

/** Pushes bytes as a blob in one POST; answers the digest. */
export async function pushBlob(h: Harness, name: string, content: Buffer | string, auth = h.bearer(all(name))): Promise<string> {
  const bytes = Buffer.from(content);
  const digest = digestOf(bytes);
  const res = await h.http
    .post(`/v2/${name}/blobs/uploads/?digest=${digest}`)
    .set('Authorization', auth)
    .set('Content-Type', 'application/octet-stream')
    .send(bytes);
  if (res.status !== 201) throw new Error(`blob push failed: ${res.status} ${JSON.stringify(res.body)}`);
  return digest;
}

/** An OCI image manifest over a config and layers already pushed to `name`. */
export async function imageManifest(h: Harness, name: string, layers: string[] = ['layer-bytes'], extra: Record<string, unknown> = {}) {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const configDigest = await pushBlob(h, name, configBytes);
  const layerDescriptors = [];
  for (const layer of layers) {
    layerDescriptors.push({ mediaType: mediaTypes.ociLayerGzip, digest: await pushBlob(h, name, layer), size: Buffer.byteLength(layer) });
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: { mediaType: mediaTypes.ociConfig, digest: configDigest, size: Buffer.byteLength(configBytes) },
    layers: layerDescriptors,
    ...extra,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { manifest, bytes, digest: digestOf(bytes) };
}

export function putManifest(h: Harness, name: string, reference: string, bytes: Buffer, mediaType: string = mediaTypes.ociManifest) {
  return h.http
    .put(`/v2/${name}/manifests/${reference}`)
    .set('Authorization', h.bearer(all(name)))
    .set('Content-Type', mediaType)
    // superagent would JSON-encode a Buffer under a +json type; our manifests are ASCII, so the string is byte-exact
    .send(bytes.toString('utf8'));
}

/**
 * A supertest parser that keeps a body as bytes (superagent would decode it
 * as text). Typed loosely because superagent's Response type is not hoisted.
 */
export const binary = ((res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}) as unknown as (str: string) => unknown;
