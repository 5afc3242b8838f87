import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { waitFor } from '@harbor/testkit';
import { pidsListeningOn } from '../bench/cpu';
import { HarborApi } from '../support/harbor-api';
import { exchange, Exchange, ExchangeOptions, rawExchange, RawExchange } from '../support/http-exchange';
import { buildLayeredLayout } from '../support/oci-layered';
import { RegistryClient } from '../support/registry-client';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

const MiB = 1024 * 1024;
/** registry_max_blob_size: room for the 64 MiB push, low enough to go past cheaply. */
const maxBlobBytes = 65 * MiB;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Bytes a thread of a process has read (sockets and files alike) so far, from /proc/<pid>/task/<tid>/io. */
function readBytes(pid: number, tid = pid, scope: 'task' | 'process' = 'task'): number {
  const path = scope === 'task' ? `/proc/${pid}/task/${tid}/io` : `/proc/${pid}/io`;
  return Number(/^rchar:\s*(\d+)/m.exec(readFileSync(path, 'utf8'))![1]);
}

/** The hand-over's own headers and status, wherever a client could see them. */
function leaks(answer: Exchange): string[] {
  const family = (headers: object) => Object.keys(headers).filter((name) => name.toLowerCase().startsWith('x-harbor-upload'));
  return [
    ...family(answer.headers),
    ...answer.informational.flatMap((info) => [...(info.status === 103 ? ['103'] : []), ...family(info.headers)]),
  ];
}

/** The final answer of a raw exchange: its status and body (the text after the last header block). */
function finalOf(raw: RawExchange): { status: number; body: string } {
  const last = raw.statusLines[raw.statusLines.length - 1] ?? '';
  const head = raw.text.lastIndexOf(last);
  return { status: Number(last.split(' ')[1]), body: raw.text.slice(raw.text.indexOf('\r\n\r\n', head) + 4) };
}

/**
 * Blob uploads through the whole suite (proxy + registry + core's tokens)
 * while the proxy writes the bodies into the registry's upload files itself:
 * every way a client sends a blob (one POST, PUT with a body, Content-Range
 * chunks, chunked encoding, 100-continue, skopeo) ends with exactly its
 * bytes under its digest; the registry's sockets carry almost none of a
 * 64 MiB push; and hostile clients (wrong digest, cut-off or too long
 * bodies, ranges elsewhere, blobs too large, forged hand-over headers,
 * another repository's token, racing PATCHes) get their refusal in the OCI
 * envelope and can never publish bytes that differ from their digest. No
 * client ever sees a 103 or an X-Harbor-Upload-* header.
 */
describe('blob uploads handed over to the proxy', () => {
  let suite: RunningSuite;
  let storageRoot: string;
  let pushToken: string;
  let pullToken: string;
  let otherRepositoryToken: string;
  const suffix = randomBytes(3).toString('hex');
  const name = `upload${suffix}/app`;
  const otherName = `uploadother${suffix}/app`;

  /** A request through the proxy with a bearer token (the push token unless told), failing the test on any leaked hand-over header. */
  async function send(method: string, target: string, options: ExchangeOptions & { token?: string | null } = {}): Promise<Exchange> {
    const token = options.token === undefined ? pushToken : options.token;
    const url = target.startsWith('http') ? target : `${suite.url}${target}`;
    const answer = await exchange(url, method, {
      ...options,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/octet-stream', ...options.headers },
    });
    expect(leaks(answer)).toEqual([]);
    return answer;
  }

  function expectError(answer: Exchange, status: number | number[], code: string | RegExp): void {
    expect(Array.isArray(status) ? status : [status]).toContain(answer.status);
    expect(JSON.parse(answer.body.toString())).toEqual({
      errors: [expect.objectContaining({ code: typeof code === 'string' ? code : expect.stringMatching(code), message: expect.any(String) })],
    });
  }

  /** POST a new session: its absolute URL and uuid. */
  async function startUpload(): Promise<{ url: string; uuid: string }> {
    const answer = await send('POST', `/v2/${name}/blobs/uploads/`);
    expect(answer.status).toBe(202);
    return { url: new URL(String(answer.headers.location), suite.url).toString(), uuid: String(answer.headers['docker-upload-uuid']) };
  }

  const withDigest = (uploadUrl: string, digest: string) => {
    const url = new URL(uploadUrl);
    url.searchParams.set('digest', digest);
    return url.toString();
  };

  /** A PATCH of `bytes` at `offset`, with the Content-Range that says so. */
  const patchAt = (uploadUrl: string, offset: number, bytes: Buffer, options: ExchangeOptions = {}) =>
    send('PATCH', uploadUrl, { ...options, body: bytes, headers: { 'content-range': `${offset}-${offset + bytes.length - 1}`, ...options.headers } });

  /** Where a session stands by GET on its URL: the size its Range header tells (`0-0` reads as 1). */
  async function uploadOffset(uploadUrl: string): Promise<number> {
    const answer = await send('GET', uploadUrl);
    expect(answer.status).toBe(204);
    return Number(/^0-(\d+)$/.exec(String(answer.headers.range))![1]) + 1;
  }

  /** The size of a session's file in the registry's storage, null when it has none. */
  function uploadFileSize(uuid: string): number | null {
    try {
      return statSync(join(storageRoot, 'uploads', uuid, 'data')).size;
    } catch {
      return null;
    }
  }

  async function expectUploadGone(uploadUrl: string, uuid: string): Promise<void> {
    expectError(await send('GET', uploadUrl), 404, 'BLOB_UPLOAD_UNKNOWN');
    expect(existsSync(join(storageRoot, 'uploads', uuid))).toBe(false);
  }

  /** HEAD tells the blob's size and digest; GET through the proxy gives exactly its bytes. */
  async function expectPublished(bytes: Buffer, repository = name): Promise<void> {
    const digest = sha256(bytes);
    const head = await send('HEAD', `/v2/${repository}/blobs/${digest}`, { token: pullToken });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.headers['docker-content-digest']).toBe(digest);
    const pulled = await send('GET', `/v2/${repository}/blobs/${digest}`, { token: pullToken });
    expect(pulled.status).toBe(200);
    expect(pulled.body.length).toBe(bytes.length);
    expect(sha256(pulled.body)).toBe(digest);
  }

  /**
   * Sends `half` of `blob` under a Content-Length announcing all of it, waits
   * until `landed` (bytes of it are in storage, so the cut surely comes
   * mid-body), then destroys the connection as a client that died would.
   */
  async function cutOffMidway(method: string, url: string, blob: Buffer, half: number, landed: () => boolean): Promise<void> {
    const cut = http.request(url, {
      method,
      agent: false,
      headers: { authorization: `Bearer ${pushToken}`, 'content-type': 'application/octet-stream', 'content-length': String(blob.length) },
    });
    cut.on('error', () => undefined);
    cut.on('response', (res) => res.resume());
    cut.write(blob.subarray(0, half));
    await waitFor(`bytes of the cut-off ${method} in storage`, landed, { timeoutMs: 30_000 });
    cut.destroy();
  }

  /** The sessions that have a directory in the registry's storage. */
  const uploadDirectories = () => (existsSync(join(storageRoot, 'uploads')) ? readdirSync(join(storageRoot, 'uploads')) : []);

  async function expectNotPublished(digest: string): Promise<void> {
    expect((await send('HEAD', `/v2/${name}/blobs/${digest}`, { token: pullToken })).status).toBe(404);
  }

  beforeAll(async () => {
    suite = await startSuite({ registry_max_blob_size: '65M' });
    storageRoot = JSON.parse(readFileSync(join(suite.dir, 'config', 'registry', 'config.json'), 'utf8')).storage.rootDirectory;
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    await api.createProject(name.split('/')[0]!, false);
    await api.createProject(otherName.split('/')[0]!, false);
    const admin = new RegistryClient(suite.url, 'admin', suite.adminPassword);
    pushToken = await admin.token(`repository:${name}:pull,push`);
    pullToken = await admin.token(`repository:${name}:pull`);
    otherRepositoryToken = await admin.token(`repository:${otherName}:pull,push`);
  });
  afterAll(async () => suite?.stop());

  describe('every way of sending a blob', () => {
    it('takes 16 MiB in one POST ?digest= and serves them back byte for byte', async () => {
      const blob = randomBytes(16 * MiB + 17);
      const answer = await send('POST', `/v2/${name}/blobs/uploads/?digest=${sha256(blob)}`, { body: blob });
      expect(answer.status).toBe(201);
      expect(answer.headers['docker-content-digest']).toBe(sha256(blob));
      expect(answer.headers.location).toBe(`/v2/${name}/blobs/${sha256(blob)}`);
      await expectPublished(blob);
    });

    it('takes a POST, then a PUT carrying the whole body', async () => {
      const blob = randomBytes(5 * MiB + 3);
      const { url, uuid } = await startUpload();
      const answer = await send('PUT', withDigest(url, sha256(blob)), { body: blob });
      expect(answer.status).toBe(201);
      await expectPublished(blob);
      await expectUploadGone(url, uuid);
    });

    it('takes three PATCHes with Content-Range, then a PUT without a body', async () => {
      const chunks = [randomBytes(5 * MiB + 1), randomBytes(1), randomBytes(3 * MiB + 7)];
      const { url } = await startUpload();
      let offset = 0;
      for (const chunk of chunks) {
        const answer = await patchAt(url, offset, chunk);
        offset += chunk.length;
        expect(answer.status).toBe(202);
        expect(answer.headers.range).toBe(`0-${offset - 1}`);
        expect(answer.headers.location).toBe(new URL(url).pathname);
      }
      const blob = Buffer.concat(chunks);
      expect(await uploadOffset(url)).toBe(blob.length);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
    });

    it('takes a PATCH without a length (Transfer-Encoding: chunked) in odd pieces', async () => {
      const pieces = [randomBytes(1), randomBytes(4 * MiB - 1), randomBytes(65_537), randomBytes(2 * MiB + 5)];
      const blob = Buffer.concat(pieces);
      const { url } = await startUpload();
      const answer = await send('PATCH', url, { body: pieces });
      expect(answer.status).toBe(202);
      expect(answer.headers.range).toBe(`0-${blob.length - 1}`);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
    });

    it('holds a PATCH and a PUT body until 100 Continue', async () => {
      const first = randomBytes(3 * MiB + 11);
      const last = randomBytes(MiB + 5);
      const blob = Buffer.concat([first, last]);
      const { url } = await startUpload();
      const patched = await send('PATCH', url, { body: first, expectContinue: true });
      expect(patched.status).toBe(202);
      expect(patched.informational.map((info) => info.status)).toEqual([100]);
      const put = await send('PUT', withDigest(url, sha256(blob)), { body: last, expectContinue: true });
      expect(put.status).toBe(201);
      await expectPublished(blob);
    });

    it('pushes a multi-layer OCI image with skopeo and pulls it back with the same blobs', async () => {
      const image = buildLayeredLayout(join(suite.dir, 'layered'), '1', [6 * MiB, 10_000, MiB + 3]);
      const authfile = join(suite.dir, 'skopeo-auth.json');
      const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });
      ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile, '-u', 'admin', '-p', suite.adminPassword, suite.host), 'skopeo login');
      const ref = `docker://${suite.host}/${name}:layered`;
      ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, ref), 'skopeo copy (push)');
      const pulled = join(suite.dir, 'layered-pulled');
      ok(await skopeo('copy', '--src-tls-verify=false', '--authfile', authfile, ref, `oci:${pulled}:1`), 'skopeo copy (pull)');
      const index = JSON.parse(readFileSync(join(pulled, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
      expect(index.manifests[0]!.digest).toBe(image.manifestDigest);
      for (const digest of [image.configDigest, ...image.layerDigests]) {
        const bytes = readFileSync(join(pulled, 'blobs', 'sha256', digest.slice(7)));
        expect(sha256(bytes)).toBe(digest);
        expect(bytes.equals(readFileSync(join(image.dir, 'blobs', 'sha256', digest.slice(7))))).toBe(true);
      }
    });
  });

  it('leaves the bytes of a 64 MiB push to the proxy: the registry reads almost none of them from its sockets', async () => {
    const blob = randomBytes(64 * MiB);
    const [registryPid] = await pidsListeningOn([suite.ports.registry]);
    const [proxyPid] = await pidsListeningOn([suite.ports.proxy]);
    if (registryPid === undefined || proxyPid === undefined) throw new Error('registry or proxy process not found');
    const { url } = await startUpload();
    // The registry's sockets are read on its main thread; the hand-over's file
    // hashing runs on other threads, so the main thread's count is the sockets'.
    const registryBefore = readBytes(registryPid);
    const proxyBefore = readBytes(proxyPid, proxyPid, 'process');
    expect((await send('PATCH', url, { body: blob })).status).toBe(202);
    expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
    const registryRead = readBytes(registryPid) - registryBefore;
    const proxyRead = readBytes(proxyPid, proxyPid, 'process') - proxyBefore;
    expect(proxyRead).toBeGreaterThanOrEqual(blob.length);
    // Headers, report lines and database answers: far below the 64 MiB the client sent.
    expect(registryRead).toBeLessThan(4 * MiB);
    await expectPublished(blob);
  });

  it('takes the proxy\'s word for the digest of what it wrote: the registry reads none of a chunked push\'s bytes back, on any thread', async () => {
    const pieces = [randomBytes(24 * MiB + 5), randomBytes(16 * MiB + 4099)];
    const blob = Buffer.concat(pieces);
    const [registryPid] = await pidsListeningOn([suite.ports.registry]);
    if (registryPid === undefined) throw new Error('registry process not found');
    const { url } = await startUpload();
    const before = readBytes(registryPid, registryPid, 'process');
    expect((await send('PATCH', url, { body: pieces[0]!, headers: { 'Content-Range': `0-${pieces[0]!.length - 1}` } })).status).toBe(202);
    const range = `${pieces[0]!.length}-${blob.length - 1}`;
    expect((await send('PATCH', url, { body: pieces[1]!, headers: { 'Content-Range': range } })).status).toBe(202);
    expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
    // Without the proxy's word the registry's hashing thread reads the whole 40 MiB back from the file.
    expect(readBytes(registryPid, registryPid, 'process') - before).toBeLessThan(4 * MiB);
    await expectPublished(blob);
  });

  describe('hostile or broken uploads', () => {
    it('refuses a wrong digest with DIGEST_INVALID, publishes nothing and drops the upload', async () => {
      const blob = randomBytes(2 * MiB + 9);
      const claimed = sha256(randomBytes(32));
      const monolithic = await send('POST', `/v2/${name}/blobs/uploads/?digest=${claimed}`, { body: blob });
      expectError(monolithic, 400, 'DIGEST_INVALID');

      const withBody = await startUpload();
      expectError(await send('PUT', withDigest(withBody.url, claimed), { body: blob }), 400, 'DIGEST_INVALID');
      await expectUploadGone(withBody.url, withBody.uuid);

      const chunked = await startUpload();
      expect((await patchAt(chunked.url, 0, blob)).status).toBe(202);
      expectError(await send('PUT', withDigest(chunked.url, claimed)), 400, 'DIGEST_INVALID');
      await expectUploadGone(chunked.url, chunked.uuid);

      await expectNotPublished(claimed);
      await expectNotPublished(sha256(blob));
    });

    it('keeps what landed of a body cut off midway, and a PATCH from there plus a PUT publishes the right digest', async () => {
      const blob = randomBytes(12 * MiB + 333);
      const half = 6 * MiB + 100;
      const { url, uuid } = await startUpload();
      await cutOffMidway('PATCH', url, blob, half, () => (uploadFileSize(uuid) ?? 0) >= MiB);

      // Until the cut-off request has settled the status may lag, and a PATCH from a stale offset gets a 416: ask again.
      const resumedAt = await waitFor(
        'a PATCH resuming where the upload really ends',
        async () => {
          const offset = await uploadOffset(url);
          if (offset !== uploadFileSize(uuid)) return undefined;
          const resumed = await patchAt(url, offset, blob.subarray(offset));
          if (resumed.status === 416) return undefined;
          expect(resumed.status).toBe(202);
          return offset;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(resumedAt).toBeGreaterThanOrEqual(MiB);
      expect(resumedAt).toBeLessThanOrEqual(half);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
    });

    it('publishes nothing of a PUT or POST ?digest= body cut off midway; a session keeps what landed, a POST leaves nothing', async () => {
      const blob = randomBytes(8 * MiB + 1);
      const half = 4 * MiB;
      const { url, uuid } = await startUpload();
      await cutOffMidway('PUT', withDigest(url, sha256(blob)), blob, half, () => (uploadFileSize(uuid) ?? 0) >= MiB);
      const kept = await waitFor('the session to report what landed', async () => {
        const offset = await uploadOffset(url);
        return offset === uploadFileSize(uuid) && offset >= MiB ? offset : undefined;
      });
      expect(kept).toBeLessThanOrEqual(half);
      await expectNotPublished(sha256(blob));

      const before = new Set(uploadDirectories());
      const fresh = () => uploadDirectories().filter((dir) => !before.has(dir));
      await cutOffMidway('POST', `${suite.url}/v2/${name}/blobs/uploads/?digest=${sha256(blob)}`, blob, half, () =>
        fresh().some((dir) => (uploadFileSize(dir) ?? 0) >= MiB),
      );
      // A one-shot upload has no session to resume: its bytes go with the request.
      await waitFor('the cut-off POST to leave no upload behind', () => fresh().length === 0, { timeoutMs: 30_000 });
      await expectNotPublished(sha256(blob));
    });

    it('refuses a chunk that does not start where the upload ends with 416 and its Range, writing nothing', async () => {
      const first = randomBytes(1000);
      const { url, uuid } = await startUpload();
      expect((await patchAt(url, 0, first)).status).toBe(202);
      for (const offset of [2000, 0, 500, 1001]) {
        const refused = await patchAt(url, offset, randomBytes(1000));
        expectError(refused, 416, 'RANGE_INVALID');
        expect(refused.headers.range).toBe('0-999');
      }
      expect(uploadFileSize(uuid)).toBe(1000);
      expect(await uploadOffset(url)).toBe(1000);
      const rest = randomBytes(MiB);
      expect((await patchAt(url, 1000, rest)).status).toBe(202);
      const blob = Buffer.concat([first, rest]);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
    });

    it('refuses a chunk longer than its Content-Range with 416, keeping no more than a prefix of what was sent', async () => {
      const first = randomBytes(1000);
      const extra = randomBytes(3000);
      const { url, uuid } = await startUpload();
      expect((await patchAt(url, 0, first)).status).toBe(202);

      // A Content-Length that contradicts the range: refused before a byte is read.
      const announced = await send('PATCH', url, { body: extra, headers: { 'content-range': '1000-1999' } });
      expectError(announced, 416, 'RANGE_INVALID');
      expect(announced.headers.range).toBe('0-999');
      expect(uploadFileSize(uuid)).toBe(1000);

      // No length: the body turns out longer than the range while it is written.
      const streamed = await send('PATCH', url, { body: [extra.subarray(0, 1500), extra.subarray(1500)], headers: { 'content-range': '1000-1999' } });
      expectError(streamed, 416, 'RANGE_INVALID');
      const offset = await uploadOffset(url);
      expect(streamed.headers.range).toBe(`0-${offset - 1}`);
      expect(uploadFileSize(uuid)).toBe(offset);
      // Whatever was kept is the start of what was sent: the rest of it completes the blob.
      const sent = Buffer.concat([first, extra]);
      expect(offset).toBeGreaterThanOrEqual(1000);
      expect(offset).toBeLessThanOrEqual(sent.length);
      if (offset < sent.length) expect((await patchAt(url, offset, sent.subarray(offset))).status).toBe(202);
      expect((await send('PUT', withDigest(url, sha256(sent)))).status).toBe(201);
      await expectPublished(sent);
    });

    it('refuses a blob over registry_max_blob_size with 413 SIZE_INVALID, whether announced or streamed', async () => {
      const digest = sha256(randomBytes(32));
      // Announced by Content-Length: refused on the headers, before the body comes.
      const announced = await rawExchange(
        suite.ports.proxy,
        `POST /v2/${name}/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: ${suite.host}\r\nAuthorization: Bearer ${pushToken}\r\n` +
          `Content-Type: application/octet-stream\r\nContent-Length: ${maxBlobBytes + 1}\r\nConnection: close\r\n\r\n`,
      );
      expect(announced.text.toLowerCase()).not.toContain('x-harbor-upload');
      expect(finalOf(announced).status).toBe(413);
      expect(JSON.parse(finalOf(announced).body).errors[0].code).toBe('SIZE_INVALID');

      // A session whose next chunk would pass the limit is refused, and goes (it could never finish).
      const session = await startUpload();
      expect((await patchAt(session.url, 0, randomBytes(MiB))).status).toBe(202);
      const tooFar = await rawExchange(
        suite.ports.proxy,
        `PATCH ${new URL(session.url).pathname} HTTP/1.1\r\nHost: ${suite.host}\r\nAuthorization: Bearer ${pushToken}\r\n` +
          `Content-Type: application/octet-stream\r\nContent-Range: ${MiB}-${maxBlobBytes}\r\nContent-Length: ${maxBlobBytes - MiB + 1}\r\nConnection: close\r\n\r\n`,
      );
      expect(finalOf(tooFar).status).toBe(413);
      expect(JSON.parse(finalOf(tooFar).body).errors[0].code).toBe('SIZE_INVALID');
      await expectUploadGone(session.url, session.uuid);

      // No length: refused once the bytes pass the limit. The refusal may reach
      // the client as a 413 or, when the client is still writing as the
      // connection closes, as a reset; either way nothing of it stays.
      const streamed = await startUpload();
      const pieces = Array.from({ length: 66 }, () => randomBytes(MiB));
      const answer = await send('PATCH', streamed.url, { body: pieces }).catch((err: NodeJS.ErrnoException) => err);
      if (answer instanceof Error) expect(answer.code).toMatch(/^(ECONNRESET|EPIPE)$/);
      else expectError(answer, 413, 'SIZE_INVALID');
      await waitFor('the oversized upload to go', async () => (await send('GET', streamed.url)).status === 404, { timeoutMs: 30_000 });
      await expectUploadGone(streamed.url, streamed.uuid);
      await expectNotPublished(sha256(Buffer.concat(pieces)));
    });

    it('ignores hand-over headers a client sends: the upload is still exactly its bytes, and no other file is touched', async () => {
      const canary = join(suite.dir, 'canary');
      writeFileSync(canary, 'untouched');
      const victim = await startUpload();
      const victimBytes = randomBytes(4096);
      expect((await patchAt(victim.url, 0, victimBytes)).status).toBe(202);
      const forged = (file: string) => ({
        'X-Harbor-Upload-Offload': '1',
        'X-Harbor-Upload-Mode': 'file',
        'X-Harbor-Upload-File': file,
        'X-Harbor-Upload-Offset': '0',
        'X-Harbor-Upload-Length': '3',
        'X-Harbor-Upload-Limit': '1',
      });

      const blob = randomBytes(2 * MiB + 1);
      const monolithic = await send('POST', `/v2/${name}/blobs/uploads/?digest=${sha256(blob)}`, { body: blob, headers: forged('../../etc/passwd') });
      expect(monolithic.status).toBe(201);
      await expectPublished(blob);

      const chunks = [randomBytes(MiB + 5), randomBytes(777)];
      const { url } = await startUpload();
      expect((await patchAt(url, 0, chunks[0]!, { headers: forged(relative(storageRoot, canary)) })).status).toBe(202);
      expect((await patchAt(url, chunks[0]!.length, chunks[1]!, { headers: forged(`uploads/${victim.uuid}/data`) })).status).toBe(202);
      const joined = Buffer.concat(chunks);
      expect((await send('PUT', withDigest(url, sha256(joined)), { headers: forged('/etc/passwd') })).status).toBe(201);
      await expectPublished(joined);

      expect(readFileSync(canary, 'utf8')).toBe('untouched');
      expect(readFileSync(join(storageRoot, 'uploads', victim.uuid, 'data')).equals(victimBytes)).toBe(true);
      expect(await uploadOffset(victim.url)).toBe(victimBytes.length);
    });

    it('never shows a client a 103 or an X-Harbor-Upload-* header, even on a raw socket', async () => {
      const blob = randomBytes(3 * MiB + 1);
      const head = (method: string, path: string, extra: string) =>
        `${method} ${path} HTTP/1.1\r\nHost: ${suite.host}\r\nAuthorization: Bearer ${pushToken}\r\n` +
        `Content-Type: application/octet-stream\r\n${extra}Connection: close\r\n\r\n`;
      const expectClean = (raw: RawExchange, status: number) => {
        expect(raw.statusLines.filter((line) => !/^HTTP\/1\.1 100 /.test(line)).map((line) => line.split(' ')[1])).toEqual([String(status)]);
        expect(raw.text.toLowerCase()).not.toContain('x-harbor-upload');
      };

      const monolithic = await rawExchange(suite.ports.proxy, head('POST', `/v2/${name}/blobs/uploads/?digest=${sha256(blob)}`, `Content-Length: ${blob.length}\r\n`), blob);
      expectClean(monolithic, 201);
      await expectPublished(blob);

      const chunks = [randomBytes(MiB + 1), randomBytes(2 * MiB), randomBytes(4321)];
      const joined = Buffer.concat(chunks);
      const { url } = await startUpload();
      const path = new URL(url).pathname;
      const withLength = await rawExchange(suite.ports.proxy, head('PATCH', path, `Content-Length: ${chunks[0]!.length}\r\n`), chunks[0]);
      expectClean(withLength, 202);
      // Chunked encoding written by hand, in two HTTP chunks.
      const second = chunks[1]!;
      const encoded = Buffer.concat([
        Buffer.from(`${(MiB - 3).toString(16)}\r\n`),
        second.subarray(0, MiB - 3),
        Buffer.from(`\r\n${(second.length - MiB + 3).toString(16)}\r\n`),
        second.subarray(MiB - 3),
        Buffer.from('\r\n0\r\n\r\n'),
      ]);
      expectClean(await rawExchange(suite.ports.proxy, head('PATCH', path, 'Transfer-Encoding: chunked\r\n'), encoded), 202);
      const put = await rawExchange(
        suite.ports.proxy,
        head('PUT', `${path}?digest=${sha256(joined)}`, `Content-Length: ${chunks[2]!.length}\r\nExpect: 100-continue\r\n`),
        chunks[2],
      );
      expectClean(put, 201);
      await expectPublished(joined);

      // Refusals too: a wrong digest on a body, and a body framed two ways at once (a smuggling attempt).
      const wrong = await rawExchange(suite.ports.proxy, head('POST', `/v2/${name}/blobs/uploads/?digest=${sha256(Buffer.from('x'))}`, `Content-Length: ${blob.length}\r\n`), blob);
      expectClean(wrong, 400);
      const session = await startUpload();
      const ambiguous = await rawExchange(
        suite.ports.proxy,
        head('PATCH', new URL(session.url).pathname, 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n'),
        Buffer.from('5\r\nhello\r\n0\r\n\r\n'),
      );
      expectClean(ambiguous, 400);
      expect(uploadFileSize(session.uuid) ?? 0).toBe(0);
    });

    it('answers PATCHes on disguised upload paths consistently: either taken whole at the right offset or refused in an envelope', async () => {
      const { url, uuid } = await startUpload();
      const path = new URL(url).pathname;
      const [, repository, id] = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/.exec(path)!;
      const disguises = [
        path,
        `${path}/`,
        `/v2/${repository}/blobs/uploads/./${id}`,
        `/v2/${repository}/blobs/uploads/x/../${id}`,
        `/v2//${repository}/blobs/uploads/${id}`,
        `/v2/${repository!.replace('/', '%2F')}/blobs/uploads/${id}`,
        `/v2/${repository}/blobs/uploads/${id}%2F`,
        `/v2/${repository}/blobs/uploads/${id};x=1`,
        `/V2/${repository}/BLOBS/UPLOADS/${id}`,
        `/v2/${repository}/blobs/uploads/${id.toUpperCase()}`,
      ];
      const taken: Buffer[] = [];
      for (const disguised of disguises) {
        const offset = taken.reduce((sum, chunk) => sum + chunk.length, 0);
        const chunk = randomBytes(64 * 1024 + taken.length);
        const answer = await patchAt(disguised, offset, chunk);
        if (answer.status === 202) taken.push(chunk);
        else {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(JSON.parse(answer.body.toString()).errors).toEqual([expect.objectContaining({ code: expect.any(String) })]);
        }
        expect(uploadFileSize(uuid) ?? 0).toBe(offset + (answer.status === 202 ? chunk.length : 0));
      }
      const blob = Buffer.concat(taken);
      expect(await uploadOffset(url)).toBe(blob.length);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
    });

    it('does not let a token for another repository, a pull token or no token write to this upload', async () => {
      const first = randomBytes(1000);
      const { url, uuid } = await startUpload();
      expect((await patchAt(url, 0, first)).status).toBe(202);
      // Above the proxy's hand-over threshold (uploadFiles.minBytes), so each of these asks for the hand-over.
      const intruding = randomBytes(1024 * 1024 + 1);

      for (const token of [otherRepositoryToken, pullToken, null]) {
        const patched = await send('PATCH', url, { token, body: intruding, headers: { 'content-range': `1000-${1000 + intruding.length - 1}` } });
        expectError(patched, [401, 403], /^(UNAUTHORIZED|DENIED)$/);
        const chunkedPatch = await send('PATCH', url, { token, body: [intruding] });
        expectError(chunkedPatch, [401, 403], /^(UNAUTHORIZED|DENIED)$/);
        const put = await send('PUT', withDigest(url, sha256(Buffer.concat([first, intruding]))), { token, body: intruding });
        expectError(put, [401, 403], /^(UNAUTHORIZED|DENIED)$/);
      }
      // A client waiting for 100 Continue is refused without ever being asked for its body.
      const waiting = await send('PATCH', url, { token: otherRepositoryToken, body: intruding, expectContinue: true });
      expectError(waiting, [401, 403], /^(UNAUTHORIZED|DENIED)$/);
      expect(waiting.informational.map((info) => info.status)).toEqual([]);
      // Through the repository the token is for, the upload does not exist.
      const elsewhere = await send('PATCH', `/v2/${otherName}/blobs/uploads/${uuid}`, { token: otherRepositoryToken, body: intruding });
      expectError(elsewhere, 404, 'BLOB_UPLOAD_UNKNOWN');

      expect(uploadFileSize(uuid)).toBe(1000);
      expect(await uploadOffset(url)).toBe(1000);
      const rest = randomBytes(2000);
      expect((await patchAt(url, 1000, rest)).status).toBe(202);
      const blob = Buffer.concat([first, rest]);
      expect((await send('PUT', withDigest(url, sha256(blob)))).status).toBe(201);
      await expectPublished(blob);
      await expectNotPublished(sha256(Buffer.concat([first, intruding])));
    });

    it('serialises two PATCHes racing for the same range: one wins, and its bytes are what is published', async () => {
      const racers = [randomBytes(8 * MiB), randomBytes(8 * MiB + 5)];
      const { url, uuid } = await startUpload();
      const answers = await Promise.all(racers.map((bytes) => patchAt(url, 0, bytes)));
      const winners = racers.filter((_, i) => answers[i]!.status === 202);
      expect(winners.length).toBeLessThanOrEqual(1);
      for (const answer of answers.filter((a) => a.status !== 202)) expectError(answer, 416, 'RANGE_INVALID');
      const winner = winners[0];
      if (!winner) {
        // Both refused: then neither may be published.
        for (const bytes of racers) await expectNotPublished(sha256(bytes));
        return;
      }
      expect(readFileSync(join(storageRoot, 'uploads', uuid, 'data')).equals(winner)).toBe(true);
      expect((await send('PUT', withDigest(url, sha256(winner)))).status).toBe(201);
      await expectPublished(winner);
    });

    it('keeps two PATCHes racing to append whole, one after the other, never interleaved', async () => {
      const racers = [randomBytes(8 * MiB), randomBytes(8 * MiB + 5)];
      const { url, uuid } = await startUpload();
      const answers = await Promise.all(racers.map((bytes) => send('PATCH', url, { body: bytes })));
      const accepted = racers.filter((_, i) => answers[i]!.status === 202);
      for (const answer of answers.filter((a) => a.status !== 202)) expect(answer.status).toBeGreaterThanOrEqual(400);
      const stored = readFileSync(join(storageRoot, 'uploads', uuid, 'data'));
      const orders = accepted.length === 2 ? [Buffer.concat(accepted), Buffer.concat([...accepted].reverse())] : accepted;
      expect(orders.some((order) => order.equals(stored))).toBe(true);
      expect(await uploadOffset(url)).toBe(stored.length);
      expect((await send('PUT', withDigest(url, sha256(stored)))).status).toBe(201);
      await expectPublished(stored);
    });
  });
});
