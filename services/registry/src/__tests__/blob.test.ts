import { randomBytes } from 'node:crypto';
import { digestOf } from '@harbor/oci';
import { startRegistry, Harness, all, binary, pushBlob } from './harness';

let h: Harness;
let digest: string;
const bytes = randomBytes(1_000);
const name = 'library/reads';

beforeAll(async () => {
  h = await startRegistry();
  digest = await pushBlob(h, name, bytes);
});
afterAll(async () => {
  await h.stop();
});

const auth = () => h.bearer(all(name));

describe('blob reads', () => {
  it('answers HEAD with the length, digest and type, and no body', async () => {
    const res = await h.http.head(`/v2/${name}/blobs/${digest}`).set('Authorization', auth());
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['docker-content-digest']).toBe(digest);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
  });

  it('streams the exact bytes on GET', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect((res.body as Buffer).equals(bytes)).toBe(true);
  });

  it('serves a single Range with 206 and Content-Range', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).set('Range', 'bytes=100-199').buffer(true).parse(binary);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 100-199/1000');
    expect((res.body as Buffer).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).set('Range', 'bytes=-10').buffer(true).parse(binary);
    expect((tail.body as Buffer).equals(bytes.subarray(990))).toBe(true);
  });

  it('answers an unsatisfiable Range with 416 and the size', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set('Authorization', auth()).set('Range', 'bytes=5000-6000');
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */1000');
  });

  it('answers BLOB_UNKNOWN for a digest nobody pushed', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/${digestOf('never pushed')}`).set('Authorization', auth());
    expect([res.status, res.body.errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
  });

  it('hides a blob that another repository holds but this one does not link', async () => {
    const other = 'team/other';
    const res = await h.http.get(`/v2/${other}/blobs/${digest}`).set('Authorization', h.bearer(all(other)));
    expect([res.status, res.body.errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
    const head = await h.http.head(`/v2/${other}/blobs/${digest}`).set('Authorization', h.bearer(all(other)));
    expect(head.status).toBe(404);
  });

  it('answers DIGEST_INVALID for a malformed digest', async () => {
    const res = await h.http.get(`/v2/${name}/blobs/sha256:xyz`).set('Authorization', auth());
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
  });
});

describe('blob delete', () => {
  it('needs the delete action', async () => {
    const res = await h.http.delete(`/v2/${name}/blobs/${digest}`).set('Authorization', h.bearer(`repository:${name}:pull,push`));
    expect(res.status).toBe(401);
  });

  it('unlinks the blob from this repository only', async () => {
    const shared = await pushBlob(h, name, 'shared');
    await pushBlob(h, 'team/keeps', 'shared');
    const res = await h.http.delete(`/v2/${name}/blobs/${shared}`).set('Authorization', auth());
    expect(res.status).toBe(202);
    expect((await h.http.head(`/v2/${name}/blobs/${shared}`).set('Authorization', auth())).status).toBe(404);
    expect((await h.http.head(`/v2/team/keeps/blobs/${shared}`).set('Authorization', h.bearer(all('team/keeps')))).status).toBe(200);
    const again = await h.http.delete(`/v2/${name}/blobs/${shared}`).set('Authorization', auth());
    expect([again.status, again.body.errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
  });
});
