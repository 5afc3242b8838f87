/**
 * A failed fsync or writeback of an upload's file may have lost bytes that
 * are already "in" the file, and Linux reports such an error once: a later
 * fsync (a retried PUT) succeeds without the bytes being on disk. So an
 * upload whose file failed to sync is gone, never resumed or published.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { startRegistry, Harness, all } from './harness';

let h: Harness;
const name = 'library/unsynced';
/** FileHandle is not exported; its prototype is reached through an open handle. */
let fileHandlePrototype: { sync(): Promise<void>; datasync(): Promise<void> };

beforeAll(async () => {
  const handle = await open(__filename, 'r');
  fileHandlePrototype = Object.getPrototypeOf(handle) as typeof fileHandlePrototype;
  await handle.close();
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => {
  jest.restoreAllMocks();
});

const auth = () => ({ Authorization: h.bearer(all(name)) });
const eio = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function startUpload(): Promise<string> {
  const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set(auth());
  expect(res.status).toBe(202);
  return res.headers.location as string;
}

describe('an upload whose file failed to sync', () => {
  it('is gone after a failed fsync of the final PUT: a retried PUT cannot publish it', async () => {
    const location = await startUpload();
    const bytes = randomBytes(64 * 1024);
    expect((await h.http.patch(location).set(auth()).set('Content-Type', 'application/octet-stream').send(bytes)).status).toBe(202);
    jest.spyOn(fileHandlePrototype, 'sync').mockRejectedValueOnce(eio());
    const digest = digestOf(bytes);
    expect((await h.http.put(`${location}?digest=${digest}`).set(auth())).status).toBe(500);
    const retried = await h.http.put(`${location}?digest=${digest}`).set(auth());
    expect(retried.status).toBe(404);
    expect(retried.body.errors[0].code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await h.http.head(`/v2/${name}/blobs/${digest}`).set(auth())).status).toBe(404);
  });

  it('is gone after a failed writeback while a PATCH was written, not resumable', async () => {
    const location = await startUpload();
    jest.spyOn(fileHandlePrototype, 'datasync').mockRejectedValue(eio());
    const bytes = randomBytes(40 * 1024 * 1024);
    expect((await h.http.patch(location).set(auth()).set('Content-Type', 'application/octet-stream').send(bytes)).status).toBe(500);
    jest.restoreAllMocks();
    expect((await h.http.get(location).set(auth())).status).toBe(404);
  });
});
