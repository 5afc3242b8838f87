import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signRegistryToken } from '@harbor/auth';
import type { RegistryConfig } from '@harbor/config';
import { silentLogger } from '@harbor/logging';
import { createTestDatabase, rsaKeyPair, tempDir, TestDatabase } from '@harbor/testkit';
import { start, RunningRegistry } from '../main';
import { sha256 } from '../__tests__/robustness/registry-processes';
import { startS3rver, S3TestServer } from './__tests__/s3rver.process';

/** The registry on s3 storage with redirect on: blob GETs answer 307 to a presigned URL on the bucket. */
let s3: S3TestServer;
let database: TestDatabase;
let registry: RunningRegistry;
let url = '';
let auth = '';
const secrets = tempDir('harbor-s3-redirect-');

beforeAll(async () => {
  s3 = await startS3rver();
  const bucket = await s3.createBucket('redirect-test');
  database = await createTestDatabase();
  await database.db.insertInto('project').values({ name: 'library', owner_id: 1 }).execute();
  const keys = rsaKeyPair();
  writeFileSync(join(secrets.path, 'public_key.pem'), keys.publicKey);
  writeFileSync(join(secrets.path, 'internal_secret'), 'secret\n');
  const config: RegistryConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    externalUrl: 'http://registry.redirect.test',
    database: database.config,
    redisUrl: 'redis://127.0.0.1:6379',
    storage: {
      provider: 's3',
      options: { region: 'us-east-1', bucket, accesskey: 'S3RVER', secretkey: 'S3RVER', regionendpoint: s3.endpoint, redirect: 'true' },
    },
    token: { issuer: 'harbor-token-issuer', service: 'harbor-registry', publicKeyPath: join(secrets.path, 'public_key.pem') },
    notificationUrl: 'http://127.0.0.1:9/service/notifications',
    internalSecretPath: join(secrets.path, 'internal_secret'),
    log: { service: 'registry', level: 'error', syslog: null, stdout: false },
  };
  registry = await start(config, { logger: silentLogger(), eventRetryDelaysMs: [10] });
  url = `http://127.0.0.1:${registry.port}`;
  auth = `Bearer ${
    signRegistryToken({
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      issuer: 'harbor-token-issuer',
      audience: 'harbor-registry',
      subject: 'alice',
      access: [{ type: 'repository', name: 'library/app', actions: ['pull', 'push'] }],
      expiresInSeconds: 300,
    }).token
  }`;
});

afterAll(async () => {
  await registry?.stop();
  await database?.drop();
  await s3?.stop();
  secrets.remove();
});

it('answers a blob GET with 307 to a presigned URL that serves the bytes, and HEAD itself', async () => {
  const bytes = Buffer.from('bytes served by the bucket');
  const digest = sha256(bytes);
  const push = await fetch(`${url}/v2/library/app/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  expect(push.status).toBe(201);

  const head = await fetch(`${url}/v2/library/app/blobs/${digest}`, { method: 'HEAD', headers: { Authorization: auth } });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(bytes.length));

  const get = await fetch(`${url}/v2/library/app/blobs/${digest}`, { headers: { Authorization: auth }, redirect: 'manual' });
  expect(get.status).toBe(307);
  const location = get.headers.get('location')!;
  expect(location.startsWith(`${s3.endpoint}/redirect-test/blobs/sha256/`)).toBe(true);
  expect(location).toContain('X-Amz-Signature=');
  const fromBucket = await fetch(location);
  expect(fromBucket.status).toBe(200);
  expect(Buffer.from(await fromBucket.arrayBuffer()).equals(bytes)).toBe(true);

  // A blob this repository has no link to is still BLOB_UNKNOWN, never a redirect.
  const unknown = await fetch(`${url}/v2/library/app/blobs/${sha256('never pushed')}`, { headers: { Authorization: auth }, redirect: 'manual' });
  expect(unknown.status).toBe(404);
});
