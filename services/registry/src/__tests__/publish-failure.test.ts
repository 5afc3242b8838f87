/**
 * The database refusing a publish after the upload's file was moved into
 * place: the client gets a server error, the blob stays invisible, and the
 * upload's running hash is dropped (its file is gone).
 */
import { createHash, randomBytes } from 'node:crypto';
import { BlobDao } from '../dao/blob.dao';
import { FileHashing } from '../support/file-hashing';
import { startRegistry, Harness, all } from './harness';

const name = 'library/unpublished';

it('answers a server error, publishes nothing and forgets the upload\'s hash when the rows cannot be written', async () => {
  const h = await startRegistry();
  try {
    await refusedThenPublished(h);
  } finally {
    jest.restoreAllMocks();
    await h.stop();
  }
});

async function refusedThenPublished(h: Harness): Promise<void> {
  const auth = () => ({ Authorization: h.bearer(all(name)) });
  const start = await h.http.post(`/v2/${name}/blobs/uploads/`).set(auth());
  expect(start.status).toBe(202);
  const location = start.headers.location as string;
  const uuid = location.split('/').pop()!;
  // Past the in-memory size, so the hashing worker keeps a running hash of the file.
  const bytes = randomBytes(2 * 1024 * 1024);
  expect((await h.http.patch(location).set(auth()).set('Content-Type', 'application/octet-stream').send(bytes)).status).toBe(202);

  const publish = jest.spyOn(BlobDao.prototype, 'publish').mockRejectedValue(new Error('the database went away'));
  const forget = jest.spyOn(FileHashing.prototype, 'forget');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const put = await h.http.put(`${location}?digest=${digest}`).set(auth());
  expect(put.status).toBe(500);
  expect(put.body).toEqual({ errors: [{ code: 'UNKNOWN', message: expect.any(String) }] });
  expect(publish).toHaveBeenCalled();
  expect(forget).toHaveBeenCalledWith(uuid);

  jest.restoreAllMocks();
  expect((await h.http.head(`/v2/${name}/blobs/${digest}`).set(auth())).status).toBe(404);
  // Once the database is back, the same bytes push again.
  const again = await h.http.post(`/v2/${name}/blobs/uploads/?digest=${digest}`).set(auth()).set('Content-Type', 'application/octet-stream').send(bytes);
  expect(again.status).toBe(201);
  expect((await h.http.head(`/v2/${name}/blobs/${digest}`).set(auth())).status).toBe(200);
}
