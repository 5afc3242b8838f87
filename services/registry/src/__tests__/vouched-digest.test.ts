/**
 * The proxy's word for a handed-over upload's digest (the final report's
 * digest, asked for by the offer's X-Harbor-Upload-Hash): the registry takes
 * it instead of reading the file back, but only for the algorithm it asked
 * and the exact size the file has. The stand-in proxy here vouches for bytes
 * other than those it wrote, which is how a test can see whether the word
 * was taken (the real proxy hashes exactly what it writes).
 */
import { randomBytes } from 'node:crypto';
import { digestOf } from '@harbor/oci';
import { startRegistry, Harness, all } from './harness';
import { handOverRequest, HandOverScript } from './hand-over-client';

let h: Harness;
const name = 'library/vouched';

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const auth = () => ({ Authorization: h.bearer(all(name)) });

async function startUpload(): Promise<string> {
  const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set(auth());
  expect(res.status).toBe(202);
  return res.headers.location as string;
}

const send = (method: 'POST' | 'PATCH' | 'PUT', path: string, body: Buffer, script?: HandOverScript) =>
  handOverRequest(h.url, h.storageRoot, method, path, auth(), body, script);

/** Writes the whole body, then ends vouching for `digest`. */
const vouching =
  (digest: string): HandOverScript =>
  (act, body) => {
    act.write(0, body.length);
    act.report({ kind: 'end', written: body.length, digest });
  };

/** Past the size a whole blob is hashed in the stream at (the hashing's own shortcut for small ones). */
const large = 1024 * 1024 + 4096;

const errorCode = (body: string) => (JSON.parse(body) as { errors: Array<{ code: string }> }).errors[0]?.code;

async function blobStatus(digest: string): Promise<number> {
  return (await h.http.head(`/v2/${name}/blobs/${digest}`).set(auth())).status;
}

describe('a digest the proxy vouches for', () => {
  it('is asked for with the algorithm of the upload: sha256 for a PATCH, the digest\'s own for a POST ?digest=', async () => {
    const location = await startUpload();
    const patch = await send('PATCH', location, randomBytes(large));
    expect(patch.offer).toMatchObject({ mode: 'file', hash: 'sha256' });

    const bytes = randomBytes(large);
    const digest = digestOf(bytes, 'sha512');
    const post = await send('POST', `/v2/${name}/blobs/uploads/?digest=${digest}`, bytes);
    expect(post.offer).toMatchObject({ mode: 'file', hash: 'sha512' });
    expect(post.status).toBe(201);
  });

  it('stands in for reading the file: what the proxy vouched for is what the registry compares', async () => {
    const written = randomBytes(large);
    const claimed = digestOf(randomBytes(large));
    const res = await send('POST', `/v2/${name}/blobs/uploads/?digest=${claimed}`, written, vouching(claimed));
    expect(res.status).toBe(201);
    expect(res.headers['docker-content-digest']).toBe(claimed);
  });

  it('is compared with the client\'s digest like any other: a mismatch is DIGEST_INVALID and nothing is published', async () => {
    const bytes = randomBytes(large);
    const truth = digestOf(bytes);
    const other = digestOf(randomBytes(large));
    const res = await send('POST', `/v2/${name}/blobs/uploads/?digest=${truth}`, bytes, vouching(other));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('DIGEST_INVALID');
    expect(await blobStatus(truth)).toBe(404);
    expect(await blobStatus(other)).toBe(404);
  });

  it('is carried from a PATCH to a PUT without a body, for the size the PATCH left', async () => {
    const location = await startUpload();
    const written = randomBytes(large);
    const claimed = digestOf(randomBytes(100));
    expect((await send('PATCH', location, written, vouching(claimed))).status).toBe(202);
    const put = await h.http.put(`${location}?digest=${claimed}`).set(auth());
    expect(put.status).toBe(201);
  });

  it('no longer stands once the upload grew without the proxy: the registry reads the whole file', async () => {
    const location = await startUpload();
    const first = randomBytes(large);
    const claimed = digestOf(randomBytes(100));
    expect((await send('PATCH', location, first, vouching(claimed))).status).toBe(202);
    // A small chunk through the request body, as the proxy sends one below its hand-over size.
    const last = randomBytes(1000);
    const patch = await h.http
      .patch(location)
      .set({ ...auth(), 'Content-Type': 'application/octet-stream', 'Content-Range': `${first.length}-${first.length + last.length - 1}` })
      .send(last);
    expect(patch.status).toBe(202);
    const lie = await h.http.put(`${location}?digest=${claimed}`).set(auth());
    expect(lie.status).toBe(400);
    expect(errorCode(JSON.stringify(lie.body))).toBe('DIGEST_INVALID');

    // The lie discarded that upload; the same bytes again, honestly reported, publish under their real digest.
    const again = await startUpload();
    const whole = Buffer.concat([first, last]);
    expect((await send('PATCH', again, first)).status).toBe(202);
    expect(
      (
        await h.http
          .patch(again)
          .set({ ...auth(), 'Content-Type': 'application/octet-stream', 'Content-Range': `${first.length}-${whole.length - 1}` })
          .send(last)
      ).status,
    ).toBe(202);
    expect((await h.http.put(`${again}?digest=${digestOf(whole)}`).set(auth())).status).toBe(201);
  });

  it('still gives the file\'s own digest when the proxy said it would vouch and then did not', async () => {
    const location = await startUpload();
    const bytes = randomBytes(large);
    const res = await send('PATCH', location, bytes, (act, body) => {
      act.report({ kind: 'vouching', written: 0 });
      act.write(0, body.length);
      act.report({ kind: 'end', written: body.length });
    });
    expect(res.status).toBe(202);
    const lie = digestOf(randomBytes(10));
    const refused = await h.http.put(`${location}?digest=${lie}`).set(auth());
    expect(refused.status).toBe(400);

    const again = await startUpload();
    expect((await send('PATCH', again, bytes, (act, body) => {
      act.report({ kind: 'vouching', written: 0 });
      act.write(0, body.length);
      act.report({ kind: 'end', written: body.length });
    })).status).toBe(202);
    expect((await h.http.put(`${again}?digest=${digestOf(bytes)}`).set(auth())).status).toBe(201);
  });

  it('refuses a vouching line that is not the first, as a broken exchange that keeps the upload', async () => {
    const location = await startUpload();
    const bytes = randomBytes(large);
    const res = await send('PATCH', location, bytes, (act, body) => {
      act.write(0, body.length);
      act.report({ kind: 'progress', written: body.length });
      act.report({ kind: 'vouching', written: 0 });
      act.report({ kind: 'end', written: body.length });
    });
    expect(res.status).toBe(500);
    expect((await h.http.put(`${location}?digest=${digestOf(bytes)}`).set(auth())).status).toBe(201);
  });

  it('is ignored in another algorithm than the one asked: the registry reads the file', async () => {
    const bytes = randomBytes(large);
    const truth = digestOf(bytes);
    const res = await send('POST', `/v2/${name}/blobs/uploads/?digest=${truth}`, bytes, vouching(digestOf(randomBytes(10), 'sha512')));
    expect(res.status).toBe(201);
    expect(res.headers['docker-content-digest']).toBe(truth);
  });

  it('is ignored when the report\'s count is not what the file holds (a broken exchange, the upload kept)', async () => {
    const location = await startUpload();
    const written = randomBytes(large);
    const claimed = digestOf(randomBytes(100));
    const res = await send('PATCH', location, written, (act, body) => {
      act.write(0, body.length);
      act.report({ kind: 'end', written: body.length + 1, digest: claimed });
    });
    expect(res.status).toBe(500);
    const put = await h.http.put(`${location}?digest=${claimed}`).set(auth());
    expect(put.status).toBe(400);
    expect(errorCode(JSON.stringify(put.body))).toBe('DIGEST_INVALID');
  });
});
