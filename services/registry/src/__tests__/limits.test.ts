import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { digestOf } from '@harbor/oci';
import { waitFor } from '@harbor/testkit';
import { all, Harness, imageManifest, putManifest, startRegistry } from './harness';

const maxBlobBytes = 64 * 1024;
const maxManifestBytes = 8 * 1024;
const chunkMinBytes = 12_345;

let h: Harness;
beforeAll(async () => {
  h = await startRegistry({ limits: { maxBlobBytes, maxManifestBytes, chunkMinBytes } });
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/limited';
const auth = () => h.bearer(all(name));

async function startUpload(): Promise<string> {
  const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set('Authorization', auth());
  expect(res.status).toBe(202);
  return res.headers.location!;
}

async function sessions(): Promise<number> {
  return (await h.db.selectFrom('blob_upload').select('uuid').execute()).length;
}

function uploadDirectories(): string[] {
  const dir = join(h.storageRoot, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * Sends a raw request and answers what came back (status line and body), or
 * null when the server closed without answering. Raw, because a refusal that
 * arrives while a client is still writing can reach it as EPIPE instead.
 */
function raw(head: string, body: (write: (b: Buffer | string) => boolean) => void = () => true): Promise<{ status: string; body: string } | null> {
  const port = Number(new URL(h.url).port);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      body((b) => socket.write(b));
    });
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      if (answer === '') return resolve(null);
      const split = answer.indexOf('\r\n\r\n');
      resolve({ status: answer.split('\r\n')[0]!, body: split < 0 ? '' : answer.slice(split + 4) });
    });
    socket.on('error', () => undefined);
  });
}

/** The error code of a raw answer, when it is the OCI envelope. */
function codeOf(answer: { body: string } | null): string | undefined {
  try {
    return (JSON.parse(answer?.body ?? '') as { errors: Array<{ code: string }> }).errors[0]?.code;
  } catch {
    return undefined;
  }
}

describe('configured limits', () => {
  it('advertises the chunk minimum on a new upload session', async () => {
    const res = await h.http.post(`/v2/${name}/blobs/uploads/`).set('Authorization', auth());
    expect(res.status).toBe(202);
    expect(res.headers['oci-chunk-min-length']).toBe(String(chunkMinBytes));
  });

  it('accepts a blob of exactly the limit', async () => {
    const bytes = randomBytes(maxBlobBytes);
    await h.http.post(`/v2/${name}/blobs/uploads/?digest=${digestOf(bytes)}`).set('Authorization', auth()).send(bytes).expect(201);
  });

  it('refuses a monolithic upload whose Content-Length is over the limit with 413 SIZE_INVALID before reading it, keeping nothing', async () => {
    const before = await sessions();
    const digest = digestOf(randomBytes(16));
    // Only the head is sent: the refusal must come from Content-Length alone.
    const answer = await raw(
      `POST /v2/${name}/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\nContent-Length: ${maxBlobBytes + 1}\r\n\r\n`,
    );
    expect(answer?.status).toMatch(/^HTTP\/1\.1 413/);
    expect(codeOf(answer)).toBe('SIZE_INVALID');
    await waitFor('the refused upload to be discarded', async () => (await sessions()) === before).catch(() => undefined);
    expect(await sessions()).toBe(before);
  });

  it('refuses a chunk that would take the upload past the limit, and drops the upload', async () => {
    const location = await startUpload();
    await h.http.patch(location).set('Authorization', auth()).send(randomBytes(maxBlobBytes - 10)).expect(202);
    const over = await h.http.patch(location).set('Authorization', auth()).send(randomBytes(11));
    expect([over.status, over.body.errors[0].code]).toEqual([413, 'SIZE_INVALID']);
    const status = await h.http.get(location).set('Authorization', auth());
    expect([status.status, status.body.errors[0].code]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
  });

  it('refuses a Content-Range that ends past the limit before reading the body', async () => {
    const location = await startUpload();
    const answer = await raw(
      `PATCH ${location} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\nContent-Range: 0-${maxBlobBytes}\r\nContent-Length: ${maxBlobBytes + 1}\r\n\r\n`,
    );
    expect(answer?.status).toMatch(/^HTTP\/1\.1 413/);
    expect(codeOf(answer)).toBe('SIZE_INVALID');
  });

  it('stops a chunked body without a length once it passes the limit, keeping none of it', async () => {
    const before = await sessions();
    const directoriesBefore = uploadDirectories().length;
    const bytes = randomBytes(maxBlobBytes * 3);
    const status = await raw(
      `POST /v2/${name}/blobs/uploads/?digest=${digestOf(bytes)} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth()}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      (write) => {
        for (let offset = 0; offset < bytes.length; offset += 16 * 1024) {
          const piece = bytes.subarray(offset, offset + 16 * 1024);
          write(`${piece.length.toString(16)}\r\n`);
          write(piece);
          write('\r\n');
        }
        write('0\r\n\r\n');
      },
    );
    // Either the refusal arrives, or the server closed mid-body before the client read it; never a 201.
    if (status !== null) expect(status.status).toMatch(/^HTTP\/1\.1 413/);
    await waitFor('the refused upload to be discarded', async () => (await sessions()) === before).catch(() => undefined);
    expect(await h.db.selectFrom('blob').select('digest').where('digest', '=', digestOf(bytes)).execute()).toEqual([]);
    expect(await sessions()).toBe(before);
    // The connection may close before the registry has finished clearing up: wait for it, then insist.
    await waitFor('the refused bytes to be removed', async () => uploadDirectories().length === directoriesBefore).catch(() => undefined);
    expect(uploadDirectories().length).toBe(directoriesBefore);
  });

  it('applies the configured manifest limit instead of 4 MiB', async () => {
    const { manifest } = await imageManifest(h, name);
    const small = Buffer.from(JSON.stringify({ ...manifest, annotations: { pad: 'x'.repeat(1_000) } }));
    await putManifest(h, name, 'small', small).expect(201);
    const large = Buffer.from(JSON.stringify({ ...manifest, annotations: { pad: 'x'.repeat(maxManifestBytes) } }));
    const res = await putManifest(h, name, 'large', large).catch((err: { response?: { status: number; body: { errors: Array<{ code: string }> } } }) => err.response);
    expect([res?.status, res?.body.errors[0]?.code]).toEqual([413, 'SIZE_INVALID']);
    expect(await h.db.selectFrom('tag').select('name').where('name', '=', 'large').executeTakeFirst()).toBeUndefined();
  });
});
