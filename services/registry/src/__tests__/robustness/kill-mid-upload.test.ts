import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Driver } from '../../storage/s3.driver';
import { parseS3Options } from '../../storage/s3-options';
import { startS3rver, S3TestServer } from '../../storage/__tests__/s3rver.process';
import type { StorageDriver } from '../../storage/storage-driver';
import {
  buildRegistry,
  createSite,
  pullDigest,
  pushBlobChunked,
  RegistryProcess,
  sha256,
  SharedSite,
  startUpload,
  streamRequest,
} from './registry-processes';

/**
 * A registry killed (SIGKILL, no shutdown hook runs) while a client streams
 * a layer: nothing half-written may become visible, a restarted registry
 * lets the client push again, and the purge job clears what the dead upload left.
 */
jest.setTimeout(180_000);

const name = 'library/killed';
let s3: S3TestServer | null = null;

beforeAll(async () => {
  buildRegistry();
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

const drivers: Array<[string, () => Promise<{ site: SharedSite; store: StorageDriver }>]> = [
  [
    'filesystem',
    async () => {
      const site = await createSite();
      const { FilesystemDriver } = await import('../../storage/filesystem.driver');
      return { site, store: new FilesystemDriver(site.storageRoot) };
    },
  ],
  [
    's3',
    async () => {
      const bucket = await s3!.createBucket(`killed-${Date.now()}`);
      const options = {
        region: 'us-east-1',
        bucket,
        accesskey: 'S3RVER',
        secretkey: 'S3RVER',
        regionendpoint: s3!.endpoint,
        chunksize: String(5 * 1024 * 1024),
      };
      const site = await createSite({ provider: 's3', options });
      return { site, store: new S3Driver(parseS3Options(options)) };
    },
  ],
];

describe.each(drivers)('killing the registry mid-upload (%s storage)', (_label, setup) => {
  let site: SharedSite;
  let store: StorageDriver;
  let first: RegistryProcess;

  beforeAll(async () => {
    ({ site, store } = await setup());
    first = await site.spawn();
  });
  afterAll(async () => {
    if (store instanceof S3Driver) store.destroy();
    await site.cleanup();
  });

  it('leaves nothing visible, lets the client start again, and the purge clears the dead upload', async () => {
    const auth = site.bearer(name);
    const layer = randomBytes(24 * 1024 * 1024);
    const digest = sha256(layer);

    // One chunk arrives whole, the next is cut off by the kill.
    const location = await startUpload(first, name, auth);
    const firstChunk = await fetch(location, {
      method: 'PATCH',
      headers: { Authorization: auth, 'Content-Type': 'application/octet-stream', 'Content-Range': `0-${1024 * 1024 - 1}` },
      body: layer.subarray(0, 1024 * 1024),
    });
    expect(firstChunk.status).toBe(202);

    const body = new Readable({ read() {} });
    const inFlight = streamRequest(location, 'PATCH', { Authorization: auth, 'Content-Type': 'application/octet-stream' }, body).catch(
      (err: unknown) => err,
    );
    body.push(layer.subarray(1024 * 1024, 13 * 1024 * 1024));
    // Let the registry take those 12 MiB in (on s3 that is two multipart parts on their way).
    await new Promise((r) => setTimeout(r, 1500));
    await first.kill('SIGKILL');
    const outcome = await inFlight;
    // The connection died with the process (an error from another realm: no instanceof).
    expect(outcome).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    body.destroy();

    expect(await site.db.selectFrom('blob').select('digest').where('digest', '=', digest).execute()).toEqual([]);
    const second = await site.spawn();
    const head = await fetch(`${second.url}/v2/${name}/blobs/${digest}`, { method: 'HEAD', headers: { Authorization: auth } });
    expect(head.status).toBe(404);
    await expect(store.stat(`/blobs/sha256/${digest.slice(7, 9)}/${digest.slice(7)}/data`)).rejects.toThrow('path not found');

    // The dead session still answers how far it got (never more than was sent).
    const status = await fetch(location.replace(first.url, second.url), { headers: { Authorization: auth } });
    expect(status.status).toBe(204);
    const range = /^0-(\d+)$/.exec(status.headers.get('range') ?? '');
    expect(range).not.toBeNull();
    expect(Number(range![1]) + 1).toBeLessThanOrEqual(13 * 1024 * 1024);

    // The client starts over on the restarted registry and succeeds.
    expect(await pushBlobChunked(second, name, layer, auth, 4)).toBe(digest);
    const pulled = await pullDigest(`${second.url}/v2/${name}/blobs/${digest}`, auth);
    expect(pulled).toEqual({ status: 200, digest, size: layer.length });

    // The abandoned session is purged: its row and every byte under /uploads.
    const purge = await fetch(`${second.url}/internal/uploads/purge`, {
      method: 'POST',
      headers: { Authorization: `Harbor-Secret ${site.internalSecret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ olderThanMinutes: 0 }),
    });
    expect(purge.status).toBe(200);
    expect(((await purge.json()) as { purged: number }).purged).toBeGreaterThanOrEqual(1);
    expect(await site.db.selectFrom('blob_upload').select('uuid').execute()).toEqual([]);
    const leftover: string[] = [];
    await store.walk('/', (info) => {
      if (info.path.startsWith('/uploads/')) leftover.push(info.path);
    });
    expect(leftover).toEqual([]);
    if (store instanceof S3Driver === false) expect(readdirSync(join(site.storageRoot, 'uploads'))).toEqual([]);
  });
});
