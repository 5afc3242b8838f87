import { connect } from 'node:net';
import { digestOf, mediaTypes } from '@harbor/oci';
import { waitFor } from '@harbor/testkit';
import { all, Harness, imageManifest, pushBlob, putManifest, startRegistry } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/negotiated';
const auth = () => h.bearer(all(name));
const sameHeaders = ['content-type', 'content-length', 'docker-content-digest', 'etag'] as const;

function get(reference: string, accept?: string, repo = name) {
  const req = h.http.get(`/v2/${repo}/manifests/${reference}`).set('Authorization', h.bearer(all(repo)));
  return accept === undefined ? req : req.set('Accept', accept);
}
function head(reference: string, accept?: string) {
  const req = h.http.head(`/v2/${name}/manifests/${reference}`).set('Authorization', auth());
  return accept === undefined ? req : req.set('Accept', accept);
}

/** A Docker schema 2 image for one platform, pushed by digest. */
async function dockerImage(arch: string) {
  const configBytes = JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const config = await pushBlob(h, name, configBytes);
  const layer = await pushBlob(h, name, `layer for ${arch}`);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.dockerManifest,
      config: { mediaType: mediaTypes.dockerConfig, digest: config, size: configBytes.length },
      layers: [{ mediaType: mediaTypes.dockerLayerGzip, digest: layer, size: Buffer.byteLength(`layer for ${arch}`) }],
    }),
  );
  await putManifest(h, name, digestOf(bytes), bytes, mediaTypes.dockerManifest).expect(201);
  return { bytes, digest: digestOf(bytes), descriptor: { mediaType: mediaTypes.dockerManifest, digest: digestOf(bytes), size: bytes.length, platform: { architecture: arch, os: 'linux' } } };
}

describe('manifest content negotiation', () => {
  let oci: { bytes: Buffer; digest: string };
  let index: { bytes: Buffer; digest: string };
  let amd64: Awaited<ReturnType<typeof dockerImage>>;
  let list: { bytes: Buffer; digest: string };

  beforeAll(async () => {
    const image = await imageManifest(h, name, ['negotiated layer']);
    await putManifest(h, name, 'oci', image.bytes).expect(201);
    oci = image;
    const indexBytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [{ mediaType: mediaTypes.ociManifest, digest: image.digest, size: image.bytes.length, platform: { architecture: 'amd64', os: 'linux' } }] }),
    );
    await putManifest(h, name, 'index', indexBytes, mediaTypes.ociIndex).expect(201);
    index = { bytes: indexBytes, digest: digestOf(indexBytes) };
    const arm64 = await dockerImage('arm64');
    amd64 = await dockerImage('amd64');
    const listBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.dockerManifestList, manifests: [arm64.descriptor, amd64.descriptor] }));
    await putManifest(h, name, 'multi', listBytes, mediaTypes.dockerManifestList).expect(201);
    list = { bytes: listBytes, digest: digestOf(listBytes) };
  });

  it('serves the stored type to a client that accepts it, lists none, or sends a wildcard', async () => {
    for (const accept of [mediaTypes.ociManifest, `${mediaTypes.dockerManifest}, ${mediaTypes.ociManifest};q=0.5`, undefined, '*/*', 'application/*']) {
      const res = await get('oci', accept);
      expect([accept, res.status, res.headers['content-type'], res.headers['docker-content-digest']]).toEqual([accept, 200, mediaTypes.ociManifest, oci.digest]);
    }
  });

  it('answers MANIFEST_UNKNOWN naming the stored type when the Accept header rules it out', async () => {
    for (const [reference, accept, stored] of [
      ['oci', mediaTypes.dockerManifest, mediaTypes.ociManifest],
      [index.digest, mediaTypes.ociManifest, mediaTypes.ociIndex],
      ['index', `${mediaTypes.ociManifest}, ${mediaTypes.dockerManifest}, ${mediaTypes.ociIndex};q=0`, mediaTypes.ociIndex],
    ] as const) {
      const res = await get(reference, accept);
      expect([reference, res.status, res.body.errors[0].code]).toEqual([reference, 404, 'MANIFEST_UNKNOWN']);
      expect(res.body.errors[0].message).toContain(stored);
      expect((await head(reference, accept)).status).toBe(404);
    }
  });

  it("gives a client that cannot read lists the list's linux/amd64 image when it asks by tag", async () => {
    const res = await get('multi', `${mediaTypes.dockerManifest}, ${mediaTypes.ociManifest}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(mediaTypes.dockerManifest);
    expect(res.headers['docker-content-digest']).toBe(amd64.digest);
    expect(Buffer.from(res.text).equals(amd64.bytes)).toBe(true);
    const asList = await get('multi', `${mediaTypes.dockerManifestList}, ${mediaTypes.dockerManifest}`);
    expect(asList.headers['docker-content-digest']).toBe(list.digest);
  });

  it('does not swap a list asked for by digest, nor hand over an image the client cannot read either', async () => {
    const byDigest = await get(list.digest, mediaTypes.dockerManifest);
    expect([byDigest.status, byDigest.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const neither = await get('multi', mediaTypes.ociManifest);
    expect([neither.status, neither.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
  });

  it('answers HEAD with exactly the headers of GET, negotiation included', async () => {
    for (const [reference, accept] of [
      ['oci', undefined],
      [oci.digest, mediaTypes.ociManifest],
      ['index', mediaTypes.ociIndex],
      ['multi', mediaTypes.dockerManifest],
      ['multi', mediaTypes.dockerManifestList],
    ] as const) {
      const got = await get(reference, accept);
      const headed = await head(reference, accept);
      expect(headed.status).toBe(200);
      for (const header of sameHeaders) expect([reference, accept, header, headed.headers[header]]).toEqual([reference, accept, header, got.headers[header]]);
    }
  });
});

describe('tag deletion', () => {
  it('needs the delete action, then removes only the tag', async () => {
    const image = await imageManifest(h, name, ['tag to delete']);
    await putManifest(h, name, 'short', image.bytes).expect(201);
    await putManifest(h, name, 'keeper', image.bytes).expect(201);
    const refused = await h.http.delete(`/v2/${name}/manifests/short`).set('Authorization', h.bearer(`repository:${name}:pull,push`));
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain(`scope="repository:${name}:delete"`);
    await h.http.delete(`/v2/${name}/manifests/short`).set('Authorization', h.bearer(`repository:${name}:delete`)).expect(202);
    expect((await get('short')).status).toBe(404);
    expect((await get('keeper')).headers['docker-content-digest']).toBe(image.digest);
    expect((await get(image.digest)).status).toBe(200);
    const tags = await h.http.get(`/v2/${name}/tags/list`).set('Authorization', auth());
    expect(tags.body.tags).toContain('keeper');
    expect(tags.body.tags).not.toContain('short');
  });

  it('answers MANIFEST_UNKNOWN for a tag that is not there, and DIGEST_INVALID for a malformed digest', async () => {
    const missing = await h.http.delete(`/v2/${name}/manifests/never-was`).set('Authorization', auth());
    expect([missing.status, missing.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const malformed = await h.http.delete(`/v2/${name}/manifests/sha256:1234`).set('Authorization', auth());
    expect([malformed.status, malformed.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
  });
});

describe('manifest bodies cut short', () => {
  it('stores nothing when the body ends before its Content-Length, and keeps serving', async () => {
    const image = await imageManifest(h, name, ['truncated manifest layer']);
    const port = Number(new URL(h.url).port);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `PUT /v2/${name}/manifests/truncated HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\n` +
            `Content-Type: ${mediaTypes.ociManifest}\r\nContent-Length: ${image.bytes.length}\r\n\r\n`,
        );
        socket.write(image.bytes.subarray(0, Math.floor(image.bytes.length / 2)));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // The registry must still answer, and the half manifest must never appear.
    await waitFor('the registry to answer again', async () => (await get('truncated')).status === 404);
    expect(await h.db.selectFrom('manifest').select('id').where('digest', '=', image.digest).executeTakeFirst()).toBeUndefined();
    expect(await h.db.selectFrom('tag').select('name').where('name', '=', 'truncated').executeTakeFirst()).toBeUndefined();
  });
});

describe('uploads and blobs at the edges', () => {
  it('advertises a 1 MiB chunk minimum by default', async () => {
    const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set('Authorization', auth());
    expect(res.headers['oci-chunk-min-length']).toBe(String(1024 * 1024));
  });

  it('treats a mount without from as a normal upload', async () => {
    const digest = await pushBlob(h, 'library/holder', 'held elsewhere');
    const res = await h.http
      .post(`/v2/${name}/blobs/uploads/?mount=${digest}`)
      .set('Authorization', h.bearer(all(name), 'repository:library/holder:pull'));
    expect(res.status).toBe(202);
    expect(res.headers.location).toMatch(new RegExp(`^/v2/${name}/blobs/uploads/[0-9a-f-]{36}$`));
    expect((await h.http.head(`/v2/${name}/blobs/${digest}`).set('Authorization', auth())).status).toBe(404);
  });

  it('serves the whole blob for a malformed or multi-part Range and 416 for a backwards one', async () => {
    const digest = await pushBlob(h, name, '0123456789');
    for (const range of ['bytes=abc', 'bytes=0-1,4-5', 'items=0-3', 'bytes=-']) {
      const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).set('Range', range);
      expect([range, res.status, res.headers['content-length']]).toEqual([range, 200, '10']);
    }
    for (const range of ['bytes=5-2', 'bytes=10-', 'bytes=99999999999999999999-']) {
      const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).set('Range', range);
      expect([range, res.status, res.headers['content-range']]).toEqual([range, 416, 'bytes */10']);
    }
  });

  it('refuses a token for another repository on every kind of request', async () => {
    const digest = await pushBlob(h, name, 'guarded');
    const other = h.bearer(all('library/other-repo'));
    const requests = [
      h.http.get(`/v2/${name}/blobs/${digest}`),
      h.http.get(`/v2/${name}/manifests/oci`),
      h.http.put(`/v2/${name}/manifests/stolen`).set('Content-Type', mediaTypes.ociManifest).send('{}'),
      h.http.post(`/v2/${name}/blobs/uploads/`),
      h.http.delete(`/v2/${name}/blobs/${digest}`),
      h.http.get(`/v2/${name}/referrers/${digest}`),
    ];
    for (const req of requests) {
      const res = await req.set('Authorization', other);
      expect([res.status, res.body.errors[0].code]).toEqual([401, 'UNAUTHORIZED']);
    }
  });
});
