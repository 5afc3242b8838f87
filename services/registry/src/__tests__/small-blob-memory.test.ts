/**
 * Whole small blobs are held in memory only within `limits.smallBlobMemoryBytes`
 * for all requests together; one that does not fit goes through an upload file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { digestOf } from '@harbor/oci';
import { waitFor } from '@harbor/testkit';
import { all, Harness, startRegistry } from './harness';
import { openRequest } from './open-request';

let h: Harness;
/** Sockets of requests held open: cut before the registry stops, so a failed test cannot leave it waiting on them. */
const sockets: Socket[] = [];
beforeAll(async () => {
  h = await startRegistry({ limits: { smallBlobMemoryBytes: 8 * 1024 } });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await h.stop();
});

const name = 'library/small-memory';
const auth = () => h.bearer(all(name));

function uploadDirectories(): string[] {
  const dir = join(h.storageRoot, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function startUpload(): Promise<string> {
  const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set('Authorization', auth());
  expect(res.status).toBe(202);
  return res.headers['docker-upload-uuid']!;
}

/** A PUT whose head and first 1000 bytes are sent now; `finish` sends the rest and answers the status. */
async function openPut(uuid: string, bytes: Buffer): Promise<{ finish(): Promise<number> }> {
  const request = await openRequest(
    h.url,
    `PUT /v2/${name}/blobs/uploads/${uuid}?digest=${digestOf(bytes)} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\n` +
      `Content-Length: ${bytes.length}\r\n\r\n`,
    bytes.subarray(0, 1_000),
  );
  sockets.push(request.socket);
  return { finish: () => request.rest(bytes.subarray(1_000)) };
}

it('holds a whole small blob in memory within the budget, and sends the next one that does not fit through an upload file', async () => {
  const first = randomBytes(6_000);
  const second = randomBytes(6_000);
  const [a, b] = [await startUpload(), await startUpload()];
  const held = await openPut(a, first);
  // Time for the registry to take the first request's head and bytes: 6000 of the 8192 bytes are now in use.
  await new Promise((r) => setTimeout(r, 100));
  const through = await openPut(b, second);
  await waitFor('the second upload to get an upload file', () => uploadDirectories().includes(b), { timeoutMs: 10_000 });
  expect(uploadDirectories()).not.toContain(a);
  expect(await held.finish()).toBe(201);
  expect(await through.finish()).toBe(201);
  for (const bytes of [first, second]) {
    const res = await h.http.get(`/v2/${name}/blobs/${digestOf(bytes)}`).set('Authorization', auth()).buffer(true);
    expect(res.status).toBe(200);
  }
  expect(uploadDirectories().filter((d) => d === a || d === b)).toEqual([]);
});
