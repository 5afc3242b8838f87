/**
 * The /v2 fast path (manifest GET/HEAD, tags/list without Express's router)
 * answers exactly as the Express app does: the same requests, successes and
 * every kind of refusal, sent to one registry through both, give the same
 * status, the same headers in the same order and the same bytes — and the
 * fast path really served the hot ones.
 */
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

/** One raw request (no client-side normalising of the path), the answer with headers in wire order. */
function send(port: number, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          if (name === 'date' || name === 'connection' || name === 'keep-alive') continue;
          const value = res.rawHeaders[i + 1]!;
          // A request id the server made up differs between any two requests; one it kept must be the one sent.
          pairs.push(`${name}: ${name === 'x-request-id' && value !== headers['X-Request-Id'] ? `<generated ${/^[0-9a-f-]{36}$/.test(value)}>` : value}`);
        }
        resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
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
