/**
 * The /v2 fast path (manifest GET/HEAD, tags/list without Express's router)
 * answers exactly as the Express app does: the same requests, successes and
 * every kind of refusal, sent to one registry through both, give the same
 * status, the same headers in the same order and the same bytes — and the
 * fast path really served the hot ones.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mediaTypes } from '@harbor/oci';
import { all, Harness, imageManifest, putManifest, startRegistry } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry({ alsoWithoutFastPath: true });
});
afterAll(async () => {
  await h?.stop();
});

interface Answer {
  status: number;
  headers: string[];
  body: string;
}

const uuidShape = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** One raw request (no client-side normalising of the path), the answer with headers in wire order. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = body ? { ...headers, 'Content-Length': String(body.length) } : headers;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: sent, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          if (name === 'date' || name === 'connection' || name === 'keep-alive') continue;
          const value = res.rawHeaders[i + 1]!;
          // A request id the server made up differs between any two requests; one it kept must be the one sent.
          // An upload session's id is new on every start, wherever it is started.
          const sessionId = name === 'location' || name === 'docker-upload-uuid' ? value.replace(uuidShape, '<uuid>') : value;
          pairs.push(`${name}: ${name === 'x-request-id' && value !== headers['X-Request-Id'] ? `<generated ${/^[0-9a-f-]{36}$/.test(value)}>` : sessionId}`);
        }
        resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const repo = 'library/fast';

describe('the /v2 fast path', () => {
  let digest: string;
  beforeAll(async () => {
    const image = await imageManifest(h, repo, ['fast-layer']);
    digest = image.digest;
    for (const tag of ['v1', 'v2', 'alpha']) await putManifest(h, repo, tag, image.bytes).expect(201);
  });

  const pull = () => h.bearer(`repository:${repo}:pull`);
  const oci = mediaTypes.ociManifest;

  type Case = [label: string, method: string, path: string, headers: () => Record<string, string>, hot: boolean];
  const cases: Case[] = [
    ['manifest GET by tag', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: pull(), Accept: oci }), true],
    ['manifest HEAD by tag', 'HEAD', `/v2/${repo}/manifests/v1`, () => ({ Authorization: pull(), Accept: oci }), true],
    ['manifest GET by digest', 'GET', `/v2/${repo}/manifests/DIGEST`, () => ({ Authorization: pull(), Accept: oci }), true],
    ['manifest GET without Accept', 'GET', `/v2/${repo}/manifests/v2`, () => ({ Authorization: pull() }), true],
    ['manifest GET with a query', 'GET', `/v2/${repo}/manifests/v1?x=1`, () => ({ Authorization: pull(), Accept: oci }), true],
    ['an Accept that refuses the type', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: pull(), Accept: mediaTypes.dockerManifest }), true],
    ['HEAD refused by Accept', 'HEAD', `/v2/${repo}/manifests/v1`, () => ({ Authorization: pull(), Accept: mediaTypes.dockerManifest }), true],
    ['a missing tag', 'GET', `/v2/${repo}/manifests/nope`, () => ({ Authorization: pull() }), true],
    ['a malformed digest', 'GET', `/v2/${repo}/manifests/sha256:xyz`, () => ({ Authorization: pull() }), true],
    ['an invalid tag', 'GET', `/v2/${repo}/manifests/-bad`, () => ({ Authorization: pull() }), true],
    ['a missing repository', 'GET', '/v2/library/none/manifests/v1', () => ({ Authorization: h.bearer(all('library/none')) }), true],
    ['a missing project', 'GET', '/v2/ghost/app/manifests/v1', () => ({ Authorization: h.bearer(all('ghost/app')) }), true],
    ['an uppercase name', 'GET', '/v2/Library/Fast/manifests/v1', () => ({ Authorization: pull() }), true],
    ['a dot-dot name', 'GET', '/v2/library/../fast/manifests/v1', () => ({ Authorization: pull() }), true],
    ['an escaped slash', 'GET', '/v2/library%2Ffast/manifests/v1', () => ({ Authorization: pull() }), true],
    ['no token', 'GET', `/v2/${repo}/manifests/v1`, () => ({}), true],
    ['no token on HEAD', 'HEAD', `/v2/${repo}/manifests/v1`, () => ({}), true],
    ['a forged token', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: 'Bearer not.a.token' }), true],
    ['a token for another repository', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: h.bearer(all('library/other')) }), true],
    ['a push-only token', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: h.bearer(`repository:${repo}:push`) }), true],
    ['Basic auth', 'GET', `/v2/${repo}/manifests/v1`, () => ({ Authorization: 'Basic YWRtaW46eA==' }), true],
    ['tags/list', 'GET', `/v2/${repo}/tags/list`, () => ({ Authorization: pull() }), true],
    ['tags/list, first page', 'GET', `/v2/${repo}/tags/list?n=1`, () => ({ Authorization: pull() }), true],
    ['tags/list, next page', 'GET', `/v2/${repo}/tags/list?n=1&last=alpha`, () => ({ Authorization: pull() }), true],
    ['tags/list, n=0', 'GET', `/v2/${repo}/tags/list?n=0`, () => ({ Authorization: pull() }), true],
    ['tags/list, n not a number', 'GET', `/v2/${repo}/tags/list?n=abc`, () => ({ Authorization: pull() }), true],
    ['tags/list, last repeated', 'GET', `/v2/${repo}/tags/list?last=a&last=v1`, () => ({ Authorization: pull() }), true],
    ['tags/list of a missing repository', 'GET', '/v2/library/none/tags/list', () => ({ Authorization: h.bearer(all('library/none')) }), true],
    ['tags/list without a token', 'GET', `/v2/${repo}/tags/list`, () => ({}), true],
    ['a sane request id kept', 'GET', `/v2/${repo}/tags/list`, () => ({ Authorization: pull(), 'X-Request-Id': 'abc-123' }), true],
    ['an insane request id replaced', 'GET', `/v2/${repo}/tags/list`, () => ({ Authorization: pull(), 'X-Request-Id': 'bad id!' }), true],
    // Not the fast path's: both go to Express, and must still agree.
    ['HEAD tags/list', 'HEAD', `/v2/${repo}/tags/list`, () => ({ Authorization: pull() }), false],
    ['a trailing slash', 'GET', `/v2/${repo}/manifests/v1/`, () => ({ Authorization: pull() }), false],
    ['an uppercase /V2', 'GET', `/V2/${repo}/manifests/v1`, () => ({ Authorization: pull() }), false],
    ['an empty first component', 'GET', `/v2//${repo}/manifests/v1`, () => ({ Authorization: pull() }), false],
    ['a blob HEAD', 'HEAD', `/v2/${repo}/blobs/DIGEST`, () => ({ Authorization: pull() }), false],
    ['the base', 'GET', '/v2/', () => ({ Authorization: pull() }), false],
  ];

  it.each(cases)('answers %s exactly as Express does', async (_label, method, rawPath, headers, hot) => {
    const path = rawPath.replace('DIGEST', digest);
    const served = h.fastPathServed();
    const sent = headers();
    const sentWithId = sent['X-Request-Id'] ? sent : { ...sent, 'X-Request-Id': 'parity-1' };
    const fast = await send(Number(new URL(h.url).port), method, path, sentWithId);
    expect(h.fastPathServed() - served).toBe(hot ? 1 : 0);
    const plainPort = Number(new URL(h.httpWithoutFastPath!.get('/').url).port);
    const plain = await send(plainPort, method, path, sentWithId);
    expect(h.fastPathServed() - served).toBe(hot ? 1 : 0);
    expect(fast).toEqual(plain);
  });

  it('answers a hot request with the manifest, its digest and the JSON envelope on errors', async () => {
    const port = Number(new URL(h.url).port);
    const ok = await send(port, 'GET', `/v2/${repo}/manifests/v1`, { Authorization: pull(), Accept: oci });
    expect(ok.status).toBe(200);
    expect(ok.headers).toEqual(
      expect.arrayContaining([`docker-content-digest: ${digest}`, `content-type: ${oci}`, 'docker-distribution-api-version: registry/2.0']),
    );
    const missing = await send(port, 'GET', `/v2/${repo}/manifests/nope`, { Authorization: pull() });
    expect(missing.status).toBe(404);
    expect(missing.headers).toContain('content-type: application/json; charset=utf-8');
    expect(JSON.parse(missing.body).errors[0].code).toBe('MANIFEST_UNKNOWN');
    const unauthorised = await send(port, 'GET', `/v2/${repo}/tags/list`, {});
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.some((line) => line.startsWith('www-authenticate: Bearer realm='))).toBe(true);
  });
});

describe('the /v2 fast path for uploads', () => {
  const push = () => h.bearer(`repository:${repo}:pull,push`);
  const fastPort = () => Number(new URL(h.url).port);
  const plainPort = () => Number(new URL(h.httpWithoutFastPath!.get('/').url).port);
  const unknown = '0b7c1a52-3d4e-4f60-8a9b-0c1d2e3f4a5b';
  const bytes = Buffer.from('the same blob pushed through both paths');
  const digestOfBytes = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

  type Case = [label: string, method: string, path: string, headers: () => Record<string, string>, body: Buffer | null];
  const cases: Case[] = [
    ['a session start', 'POST', `/v2/${repo}/blobs/uploads/`, () => ({ Authorization: push() }), null],
    ['a start without a token', 'POST', `/v2/${repo}/blobs/uploads/`, () => ({}), null],
    ['a start with a pull-only token', 'POST', `/v2/${repo}/blobs/uploads/`, () => ({ Authorization: h.bearer(`repository:${repo}:pull`) }), null],
    ['a start in a missing project', 'POST', '/v2/ghost/app/blobs/uploads/', () => ({ Authorization: h.bearer(all('ghost/app')) }), null],
    ['a start under an invalid name', 'POST', '/v2/Library/Fast/blobs/uploads/', () => ({ Authorization: push() }), null],
    ['a monolithic push', 'POST', `/v2/${repo}/blobs/uploads/?digest=${digestOfBytes}`, () => ({ Authorization: push() }), bytes],
    ['a monolithic push with the wrong digest', 'POST', `/v2/${repo}/blobs/uploads/?digest=sha256:${'0'.repeat(64)}`, () => ({ Authorization: push() }), bytes],
    ['a monolithic push with a malformed digest', 'POST', `/v2/${repo}/blobs/uploads/?digest=sha256:xyz`, () => ({ Authorization: push() }), bytes],
    ['a chunk for an unknown session', 'PATCH', `/v2/${repo}/blobs/uploads/${unknown}`, () => ({ Authorization: push() }), bytes],
    ['a finish of an unknown session', 'PUT', `/v2/${repo}/blobs/uploads/${unknown}?digest=${digestOfBytes}`, () => ({ Authorization: push() }), null],
    ['the status of an unknown session', 'GET', `/v2/${repo}/blobs/uploads/${unknown}`, () => ({ Authorization: push() }), null],
    ['a cancel of an unknown session', 'DELETE', `/v2/${repo}/blobs/uploads/${unknown}`, () => ({ Authorization: push() }), null],
    ['a made-up session id', 'GET', `/v2/${repo}/blobs/uploads/not-a-uuid`, () => ({ Authorization: push() }), null],
  ];

  it.each(cases)('answers %s exactly as Express does', async (_label, method, path, headers, body) => {
    const sent = { ...headers(), 'X-Request-Id': 'parity-2' };
    const served = h.fastPathServed();
    const fast = await send(fastPort(), method, path, sent, body ?? undefined);
    expect(h.fastPathServed() - served).toBe(1);
    const plain = await send(plainPort(), method, path, sent, body ?? undefined);
    expect(h.fastPathServed() - served).toBe(1);
    expect(fast).toEqual(plain);
  });

  it('runs a chunked upload through either path with the same answer at every step', async () => {
    const run = async (port: number) => {
      const auth = { Authorization: push(), 'X-Request-Id': 'parity-3' };
      const at = await startOn(port, auth);
      return [
        await send(port, 'GET', at, auth),
        await send(port, 'PATCH', at, { ...auth, 'Content-Range': '0-9' }, bytes.subarray(0, 10)),
        await send(port, 'GET', at, auth),
        // Overlapping the first chunk: 416 with the current Range.
        await send(port, 'PATCH', at, { ...auth, 'Content-Range': '5-9' }, bytes.subarray(5, 10)),
        await send(port, 'PUT', `${at}?digest=sha256:${'1'.repeat(64)}`, auth, bytes.subarray(10)),
      ];
    };
    const served = h.fastPathServed();
    const fast = await run(fastPort());
    expect(h.fastPathServed() - served).toBe(6);
    const plain = await run(plainPort());
    expect(h.fastPathServed() - served).toBe(6);
    expect(fast.map((a) => a.status)).toEqual([204, 202, 204, 416, 400]);
    expect(fast).toEqual(plain);
  });

  it('finishes a session started on one path on the other', async () => {
    const auth = { Authorization: push() };
    const at = await startOn(plainPort(), auth);
    const patched = await send(fastPort(), 'PATCH', at, { ...auth, 'Content-Range': `0-${bytes.length - 1}` }, bytes);
    expect(patched.status).toBe(202);
    const finished = await send(plainPort(), 'PUT', `${at}?digest=${digestOfBytes}`, auth);
    expect([finished.status, finished.headers]).toEqual([201, expect.arrayContaining([`docker-content-digest: ${digestOfBytes}`])]);
  });

  /** Starts a session on a port; answers its Location (the real one, not normalised). */
  function startOn(port: number, headers: Record<string, string>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/v2/${repo}/blobs/uploads/`, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 202 ? resolve(String(res.headers.location)) : reject(new Error(`start: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  }
});
