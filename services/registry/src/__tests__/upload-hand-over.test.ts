/**
 * The registry's side of the upload hand-over (X-Harbor-Upload-Offload, whose
 * value must be the internal secret): the checks happen before the 103 offer, the bytes come from the file the
 * stand-in proxy wrote, and nothing the proxy reports is believed over the
 * file itself — a wrong report makes the upload fail, never publishes bytes
 * that do not match their digest.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { digestOf } from '@harbor/oci';
import { startRegistry, Harness, all } from './harness';
import { handOverRequest, HandOverScript } from './hand-over-client';

let h: Harness;
const name = 'library/handed';

beforeAll(async () => {
  h = await startRegistry({ limits: { maxBlobBytes: 3 * 1024 * 1024 } });
});
afterAll(async () => {
  await h.stop();
});

const auth = (repository = name) => ({ Authorization: h.bearer(all(repository)) });

async function startUpload(repository = name): Promise<string> {
  const res = await h.http.post(`/v2/${repository}/blobs/uploads/`).set(auth(repository));
  expect(res.status).toBe(202);
  return res.headers.location as string;
}

const send = (
  method: 'POST' | 'PATCH' | 'PUT',
  path: string,
  body: Buffer,
  script?: HandOverScript,
  headers: Record<string, string> = auth(),
  announceLength = true,
) => handOverRequest(h.url, h.storageRoot, method, path, headers, body, script, announceLength);

async function pulled(digest: string): Promise<Buffer> {
  const res = await h.http.get(`/v2/${name}/blobs/${digest}`).set(auth()).buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

async function storedRange(location: string): Promise<string> {
  const res = await h.http.get(location).set(auth());
  expect(res.status).toBe(204);
  return res.headers.range as string;
}

const errorCode = (body: string) => (JSON.parse(body) as { errors: Array<{ code: string }> }).errors[0]?.code;

describe('upload hand-over: the proxy writes, the registry checks', () => {
  it('offers the upload file at its offset for PATCH and the final PUT, and publishes what the file holds', async () => {
    const location = await startUpload();
    const first = randomBytes(1024 * 1024 + 7);
    const last = randomBytes(5000);
    const uuid = location.split('/').pop()!;

    const patch = await send('PATCH', location, first);
    expect(patch.status).toBe(202);
    expect(patch.informational).toEqual([103]);
    expect(patch.offer).toEqual({ mode: 'file', file: `uploads/${uuid}/data`, offset: 0, limit: 3 * 1024 * 1024, hash: 'sha256' });
    expect(patch.headers.range).toBe(`0-${first.length - 1}`);
    expect(Object.keys(patch.headers).filter((k) => k.startsWith('x-harbor-upload'))).toEqual([]);

    const whole = Buffer.concat([first, last]);
    const digest = digestOf(whole);
    const put = await send('PUT', `${location}?digest=${digest}`, last);
    expect(put.status).toBe(201);
    expect(put.offer).toMatchObject({ mode: 'file', offset: first.length });
    expect(put.headers['docker-content-digest']).toBe(digest);
    expect((await pulled(digest)).equals(whole)).toBe(true);
  });

  it.each(['1', 'yes', 'wrong-secret'])('treats a request whose hand-over header is not the internal secret (%s) as an ordinary upload: no offer, the bytes from the body', async (value) => {
    const bytes = randomBytes(200_000);
    const digest = digestOf(bytes);
    const answer = await new Promise<{ status: number; informational: number[]; headers: Record<string, unknown> }>((resolve, reject) => {
      const informational: number[] = [];
      const req = request(new URL(`/v2/${name}/blobs/uploads/?digest=${digest}`, h.url), {
        method: 'POST',
        headers: { ...auth(), 'X-Harbor-Upload-Offload': value, 'X-Harbor-Upload-Length': String(bytes.length), 'Content-Length': String(bytes.length) },
      });
      req.on('information', (info: { statusCode: number }) => informational.push(info.statusCode));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, informational, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(bytes);
    });
    expect(answer.status).toBe(201);
    expect(answer.informational).toEqual([]);
    expect(Object.keys(answer.headers).filter((k) => k.startsWith('x-harbor-upload'))).toEqual([]);
    expect((await pulled(digest)).equals(bytes)).toBe(true);
  });

  it('takes a whole blob in one POST ?digest=', async () => {
    const bytes = randomBytes(200_000);
    const digest = digestOf(bytes);
    const res = await send('POST', `/v2/${name}/blobs/uploads/?digest=${digest}`, bytes);
    expect(res.status).toBe(201);
    expect(res.offer).toMatchObject({ mode: 'file', offset: 0 });
    expect((await pulled(digest)).equals(bytes)).toBe(true);
  });

  it('refuses a wrong digest and publishes nothing', async () => {
    const bytes = randomBytes(10_000);
    const wrong = digestOf(Buffer.from('something else'));
    const res = await send('POST', `/v2/${name}/blobs/uploads/?digest=${wrong}`, bytes);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('DIGEST_INVALID');
    expect((await h.http.head(`/v2/${name}/blobs/${digestOf(bytes)}`).set(auth())).status).toBe(404);
    expect((await h.http.head(`/v2/${name}/blobs/${wrong}`).set(auth())).status).toBe(404);
  });

  it('does its checks before any offer: a wrong Content-Range or another repository\'s token gets no 103', async () => {
    const location = await startUpload();
    const misplaced = await send('PATCH', location, randomBytes(100), undefined, { ...auth(), 'Content-Range': '10-109' });
    expect(misplaced.status).toBe(416);
    expect(misplaced.informational).toEqual([]);
    expect(misplaced.headers.range).toBe('0-0');

    const foreign = await send('PATCH', location, randomBytes(100), undefined, auth('library/other'));
    expect([401, 403]).toContain(foreign.status);
    expect(foreign.informational).toEqual([]);
    expect(await storedRange(location)).toBe('0-0');
  });

  it('refuses an unreadable client length from the proxy in the OCI envelope, before any offer', async () => {
    const location = await startUpload();
    for (const length of ['abc', '-1', '1e6', '12345678901234567']) {
      const res = await send('PATCH', location, randomBytes(100), undefined, { ...auth(), 'X-Harbor-Upload-Length': length }, false);
      expect([length, res.status, errorCode(res.body), res.informational]).toEqual([length, 400, 'BLOB_UPLOAD_INVALID', []]);
    }
    expect(await storedRange(location)).toBe('0-0');
  });

  it('believes the file, not a report that claims more bytes than were written (a server fault, told without details)', async () => {
    const location = await startUpload();
    const bytes = randomBytes(100_000);
    const res = await send('PATCH', location, bytes, (act) => {
      act.write(0, 40_000);
      act.report({ kind: 'end', written: bytes.length });
    });
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe('UNKNOWN');
    expect(res.body).not.toMatch(/reported|grew|uploads\//);
    // The upload stands at what the file really holds, so the client can resume from there.
    expect(await storedRange(location)).toBe('0-39999');
  });

  it('hashes the file, not the progress it was told about: early progress beyond the file still gives the right digest', async () => {
    const location = await startUpload();
    const bytes = randomBytes(6 * 1024 * 1024 - 1000).subarray(0, 2_500_000);
    const digest = digestOf(bytes);
    const res = await send('PUT', `${location}?digest=${digest}`, bytes, (act) => {
      act.write(0, 1_000_000);
      act.report({ kind: 'progress', written: 2_000_000 });
      act.write(1_000_000, bytes.length);
      act.report({ kind: 'end', written: bytes.length });
    });
    expect(res.status).toBe(201);
    expect((await pulled(digest)).equals(bytes)).toBe(true);
  });

  it('keeps what landed when the client went away (abort), and the upload resumes from there', async () => {
    const location = await startUpload();
    const bytes = randomBytes(300_000);
    const res = await send('PATCH', location, bytes, (act) => {
      act.write(0, 120_000);
      act.report({ kind: 'abort', written: 120_000 });
    });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('BLOB_UPLOAD_INVALID');
    expect(await storedRange(location)).toBe('0-119999');

    const rest = await send('PATCH', location, bytes.subarray(120_000), undefined, { ...auth(), 'Content-Range': `120000-${bytes.length - 1}` });
    expect(rest.status).toBe(202);
    const digest = digestOf(bytes);
    const put = await send('PUT', `${location}?digest=${digest}`, Buffer.alloc(0));
    expect(put.status).toBe(201);
    expect((await pulled(digest)).equals(bytes)).toBe(true);
  });

  it('keeps what landed when the proxy died mid-body', async () => {
    const location = await startUpload();
    const bytes = randomBytes(200_000);
    await send('PATCH', location, bytes, (act) => {
      act.write(0, 50_000);
      act.cut();
    });
    await expect(eventually(() => storedRange(location), (range) => range === '0-49999')).resolves.toBe('0-49999');
  });

  it('offers at most what the size limit leaves, and an upload that goes over is gone (413)', async () => {
    const location = await startUpload();
    const first = randomBytes(2 * 1024 * 1024);
    expect((await send('PATCH', location, first)).status).toBe(202);
    const announced = await send('PATCH', location, randomBytes(2 * 1024 * 1024));
    expect([announced.status, announced.informational]).toEqual([413, []]);

    const again = await startUpload();
    expect((await send('PATCH', again, first)).status).toBe(202);
    // A chunked client announces no length: the proxy is told the limit and stops there.
    const res = await send('PATCH', again, randomBytes(2 * 1024 * 1024), undefined, auth(), false);
    expect(res.offer).toMatchObject({ mode: 'file', offset: first.length, limit: 1024 * 1024 });
    expect(res.status).toBe(413);
    expect(errorCode(res.body)).toBe('SIZE_INVALID');
    expect((await h.http.get(again).set(auth())).status).toBe(404);
  });

  it('answers a proxy that could not write with a server error and keeps the bytes that did land', async () => {
    const location = await startUpload();
    const res = await send('PATCH', location, randomBytes(10_000), (act) => {
      act.write(0, 4000);
      act.report({ kind: 'fail', written: 4000, code: 'ENOSPC' });
    });
    expect(res.status).toBe(500);
    expect(res.body).not.toContain(h.storageRoot);
    expect(await storedRange(location)).toBe('0-3999');
  });

  it('drops the upload when the proxy\'s datasync failed: bytes the file seems to hold may be lost', async () => {
    const location = await startUpload();
    const res = await send('PATCH', location, randomBytes(10_000), (act) => {
      act.write(0, 10_000);
      act.report({ kind: 'fail', written: 10_000, code: 'SYNC_EIO' });
    });
    expect(res.status).toBe(500);
    expect((await h.http.get(location).set(auth())).status).toBe(404);
  });

  it('refuses reports that are not the protocol, keeping the upload usable', async () => {
    const location = await startUpload();
    const res = await send('PATCH', location, randomBytes(1000), (act) => {
      act.write(0, 1000);
      act.report({ kind: 'progress', written: 1000 });
      (act as unknown as { report(r: unknown): void }).report({ kind: 'progress', written: 10 });
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await storedRange(location)).toBe('0-999');
  });
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
