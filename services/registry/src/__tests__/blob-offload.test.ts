/**
 * The registry's side of the blob hand-over (X-Harbor-Blob-Offload): with the
 * header carrying the internal secret, a blob GET still goes through the token, the repository's link and
 * Range validation, then answers its usual status and headers plus where the
 * bytes are on disk, with no body. Without it, or on HEAD, nothing changes.
 */
import { readFileSync, symlinkSync, unlinkSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startRegistry, Harness, all, binary, internalSecret, pushBlob } from './harness';

let h: Harness;
let digest: string;
const bytes = randomBytes(10_000);
const name = 'library/offload';
const offload = { 'X-Harbor-Blob-Offload': internalSecret };

beforeAll(async () => {
  h = await startRegistry();
  digest = await pushBlob(h, name, bytes);
});
afterAll(async () => {
  await h.stop();
});

const get = (repository = name, headers: Record<string, string> = {}) => {
  const req = h.http.get(`/v2/${repository}/blobs/${digest}`).set('Authorization', h.bearer(all(repository)));
  for (const [k, v] of Object.entries({ ...offload, ...headers })) req.set(k, v);
  return req.buffer(true).parse(binary);
};

describe('blob GET with the hand-over asked for', () => {
  it('names the file, offset and length, keeps the usual headers and sends no body', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('0');
    expect((res.body as Buffer).length).toBe(0);
    expect(res.headers['docker-content-digest']).toBe(digest);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toBe(`"${digest}"`);
    expect(res.headers['x-harbor-blob-offset']).toBe('0');
    expect(res.headers['x-harbor-blob-length']).toBe('10000');
    const file = res.headers['x-harbor-blob-file'] as string;
    expect(file).toBe(`blobs/sha256/${digest.slice(7, 9)}/${digest.slice(7)}/data`);
    expect(readFileSync(join(h.storageRoot, file)).equals(bytes)).toBe(true);
  });

  it('answers a Range with 206, Content-Range and that range as offset and length', async () => {
    const res = await get(name, { Range: 'bytes=100-199' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 100-199/10000');
    expect(res.headers['x-harbor-blob-offset']).toBe('100');
    expect(res.headers['x-harbor-blob-length']).toBe('100');
    const tail = await get(name, { Range: 'bytes=-10' });
    expect([tail.headers['x-harbor-blob-offset'], tail.headers['x-harbor-blob-length']]).toEqual(['9990', '10']);
  });

  it('validates the Range first: 416 with the size and no hand-over', async () => {
    const res = await get(name, { Range: 'bytes=20000-' });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */10000');
    expect(res.headers['x-harbor-blob-file']).toBeUndefined();
  });

  it('still refuses a caller without a token, and one whose token is for another repository', async () => {
    const anonymous = await h.http.get(`/v2/${name}/blobs/${digest}`).set(offload);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-harbor-blob-file']).toBeUndefined();
    const elsewhere = await h.http
      .get(`/v2/${name}/blobs/${digest}`)
      .set(offload)
      .set('Authorization', h.bearer('repository:team/other:pull'));
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.errors[0].code).toBe('UNAUTHORIZED');
    expect(elsewhere.headers['x-harbor-blob-file']).toBeUndefined();
  });

  it('does not hand over a blob the repository does not link', async () => {
    const res = await get('team/other');
    expect([res.status, JSON.parse((res.body as Buffer).toString()).errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
    expect(res.headers['x-harbor-blob-file']).toBeUndefined();
  });

  it('answers BLOB_UNKNOWN when the store lost the file', async () => {
    const lost = await pushBlob(h, name, 'soon lost');
    const path = join(h.storageRoot, 'blobs', 'sha256', lost.slice(7, 9), lost.slice(7), 'data');
    renameSync(path, `${path}.away`);
    try {
      const res = await h.http.get(`/v2/${name}/blobs/${lost}`).set('Authorization', h.bearer(all(name))).set(offload);
      expect([res.status, res.body.errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBeUndefined();
      expect(res.headers['x-harbor-blob-file']).toBeUndefined();
    } finally {
      renameSync(`${path}.away`, path);
    }
  });

  it('streams the bytes itself when the blob file is not a plain file', async () => {
    const linked = randomBytes(64);
    const linkedDigest = await pushBlob(h, name, linked);
    const path = join(h.storageRoot, 'blobs', 'sha256', linkedDigest.slice(7, 9), linkedDigest.slice(7), 'data');
    renameSync(path, `${path}.real`);
    symlinkSync(`${path}.real`, path);
    try {
      const res = await h.http.get(`/v2/${name}/blobs/${linkedDigest}`).set('Authorization', h.bearer(all(name))).set(offload).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['x-harbor-blob-file']).toBeUndefined();
      expect((res.body as Buffer).equals(linked)).toBe(true);
    } finally {
      unlinkSync(path);
      renameSync(`${path}.real`, path);
    }
  });
});

describe('blob requests without the hand-over', () => {
  it('streams the bytes on a GET without the header', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', h.bearer(all(name))).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['x-harbor-blob-file']).toBeUndefined();
    expect((res.body as Buffer).equals(bytes)).toBe(true);
  });

  it.each(['yes', '1', `${internalSecret}x`, internalSecret.slice(1)])('ignores a header that is not the internal secret (%s): a caller on the registry\'s port gets the bytes, no path', async (value) => {
    const res = await get(name, { 'X-Harbor-Blob-Offload': value });
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((k) => k.startsWith('x-harbor-blob'))).toEqual([]);
    expect((res.body as Buffer).equals(bytes)).toBe(true);
  });

  it('answers HEAD as always, with the real length', async () => {
    const res = await h.http.head(`/v2/${name}/blobs/${digest}`).set('Authorization', h.bearer(all(name))).set(offload);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('10000');
    expect(res.headers['x-harbor-blob-file']).toBeUndefined();
  });
});
