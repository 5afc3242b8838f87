import { randomBytes } from 'node:crypto';
import { startS3rver, S3TestServer } from '../../storage/__tests__/s3rver.process';
import { buildRegistry, createSite, pullDigest, pushBlob, pushBlobChunked, RegistryProcess, sha256, SharedSite, StorageConfig } from './registry-processes';

/**
 * Two registry processes on one database and one storage (a directory, then an s3 bucket), as two
 * replicas behind a load balancer: pushes of the same blob, of different
 * blobs and of the same tag race between them, and afterwards both answer
 * exactly the same content.
 */
jest.setTimeout(180_000);

const name = 'library/replicated';
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
let s3: S3TestServer;

beforeAll(async () => {
  buildRegistry();
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

const storages: Array<[string, () => Promise<StorageConfig | undefined>]> = [
  ['filesystem', async () => undefined],
  [
    's3',
    async () => ({
      provider: 's3',
      options: {
        region: 'us-east-1',
        bucket: await s3.createBucket(`replicas-${Date.now()}`),
        accesskey: 'S3RVER',
        secretkey: 'S3RVER',
        regionendpoint: s3.endpoint,
        chunksize: String(5 * 1024 * 1024),
      },
    }),
  ],
];

function manifestOver(configDigest: string, configSize: number, layers: Array<{ digest: string; size: number }>, label: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configSize },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
      annotations: { 'org.example.label': label },
    }),
  );
}

async function putManifest(auth: string, registry: RegistryProcess, reference: string, bytes: Buffer): Promise<number> {
  const res = await fetch(`${registry.url}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { Authorization: auth, 'Content-Type': ociManifest },
    body: bytes,
  });
  await res.arrayBuffer();
  return res.status;
}

async function getManifest(auth: string, registry: RegistryProcess, reference: string): Promise<{ status: number; digest: string | null; body: Buffer }> {
  const res = await fetch(`${registry.url}/v2/${name}/manifests/${reference}`, { headers: { Authorization: auth, Accept: ociManifest } });
  return { status: res.status, digest: res.headers.get('docker-content-digest'), body: Buffer.from(await res.arrayBuffer()) };
}

async function tags(auth: string, registry: RegistryProcess): Promise<string[]> {
  const res = await fetch(`${registry.url}/v2/${name}/tags/list`, { headers: { Authorization: auth } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { tags: string[] }).tags;
}

describe.each(storages)('two registries on one database and %s storage', (_label, storage) => {
  let site: SharedSite;
  let a: RegistryProcess;
  let b: RegistryProcess;
  let auth: string;

  beforeAll(async () => {
    site = await createSite(await storage());
    [a, b] = await Promise.all([site.spawn(), site.spawn()]);
    auth = site.bearer(name);
  });
  afterAll(async () => {
    await site?.cleanup();
  });

  it('serves the same, consistent content from both after concurrent pushes of the same and different blobs and tags', async () => {
    // The same 3 MiB blob, monolithic and chunked, four times through each process at once.
    const shared = randomBytes(3 * 1024 * 1024);
    const sharedDigests = await Promise.all(
      [a, b, a, b, a, b, a, b].map((registry, i) => (i % 4 < 2 ? pushBlob(registry, name, shared, auth) : pushBlobChunked(registry, name, shared, auth, 3))),
    );
    expect(new Set(sharedDigests)).toEqual(new Set([sha256(shared)]));

    // Different blobs through each process at once.
    const own = Array.from({ length: 12 }, (_, i) => randomBytes(256 * 1024 + i));
    const ownDigests = await Promise.all(own.map((bytes, i) => (i % 3 === 0 ? pushBlobChunked : pushBlob)(i % 2 ? a : b, name, bytes, auth)));
    expect(ownDigests).toEqual(own.map((bytes) => sha256(bytes)));

    // One blob row and one stored copy per digest, however many pushes raced.
    const rows = await site.db.selectFrom('blob').select('digest').where('digest', '=', sha256(shared)).execute();
    expect(rows).toHaveLength(1);

    // Manifests over those blobs; the same tags written from both sides at once, several rounds.
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await pushBlob(a, name, config, auth);
    const manifests = Array.from({ length: 8 }, (_, i) =>
      manifestOver(configDigest, config.length, [{ digest: sha256(shared), size: shared.length }, { digest: ownDigests[i], size: own[i].length }], `m${i}`),
    );
    const manifestDigests = new Set(manifests.map((m) => sha256(m)));
    for (let round = 0; round < 4; round++) {
      const statuses = await Promise.all([
        putManifest(auth, a, 'latest', manifests[round * 2]),
        putManifest(auth, b, 'latest', manifests[round * 2 + 1]),
        putManifest(auth, a, 'stable', manifests[0]),
        putManifest(auth, b, 'stable', manifests[0]),
        putManifest(auth, a, `a-${round}`, manifests[round]),
        putManifest(auth, b, `b-${round}`, manifests[7 - round]),
      ]);
      expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
    }

    // Both processes list the same tags and answer the same manifest for each.
    const tagsA = await tags(auth, a);
    expect(await tags(auth, b)).toEqual(tagsA);
    expect(tagsA).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'b-0', 'b-1', 'b-2', 'b-3', 'latest', 'stable']);
    for (const tag of tagsA) {
      const [fromA, fromB] = await Promise.all([getManifest(auth, a, tag), getManifest(auth, b, tag)]);
      expect(fromA.status).toBe(200);
      expect(fromB).toEqual(fromA);
      expect(fromA.digest).toBe(sha256(fromA.body));
      expect(manifestDigests.has(fromA.digest!)).toBe(true);
    }
    // The tag both raced on ends as one of the two last writes, the same on both sides.
    expect([sha256(manifests[6]), sha256(manifests[7])]).toContain((await getManifest(auth, a, 'latest')).digest);
    expect((await getManifest(auth, b, 'stable')).digest).toBe(sha256(manifests[0]));

    // Every blob is readable from both, bytes verified against its digest.
    for (const [digest, size] of [[sha256(shared), shared.length], ...own.map((bytes) => [sha256(bytes), bytes.length] as const), [configDigest, config.length]] as Array<
      readonly [string, number]
    >) {
      for (const registry of [a, b]) {
        expect(await pullDigest(`${registry.url}/v2/${name}/blobs/${digest}`, auth)).toEqual({ status: 200, digest, size });
      }
    }
  });
});
