import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasNoBody } from './relay';
import { proxyBetweenStandIns, rawRequest, send } from './__tests__/harness';

/** A registry whose answers are unusual in every way a relay could get wrong. */
function oddAnswers(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/v2/odd/teapot') {
      res.statusCode = 418;
      res.statusMessage = 'Short And Stout';
      res.setHeader('Link', ['</v2/odd/tags/list?last=b>; rel="next"', '</v2/odd/tags/list?last=a>; rel="prev"']);
      res.setHeader('Keep-Alive', 'timeout=65');
      res.setHeader('X-Harbor-Blob-File', 'blobs/secret');
      // Chunked: no Content-Length, two writes.
      res.write('first,');
      res.end('second');
      return;
    }
    const body = JSON.stringify({ method: req.method, url: req.url, bodyBytes: Buffer.concat(chunks).length });
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Docker-Content-Digest', 'sha256:' + 'a'.repeat(64));
    res.end(body);
  });
}

describe('proxy relaying requests without a body', () => {
  const upstreams = proxyBetweenStandIns({ registry: oddAnswers });

  it('gives the client the upstream\'s status, reason, repeated header and chunked body, minus per-hop and hand-over headers', async () => {
    const raw = await rawRequest(upstreams.proxy.port, 'GET /v2/odd/teapot HTTP/1.1\r\nHost: harbor.test\r\nConnection: close\r\n\r\n');
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 418 Short And Stout');
    const lines = head.toLowerCase().split('\r\n');
    // Repeated fields arrive as one list, as RFC 9110 (5.3) allows for list-based fields.
    expect(lines.filter((l) => l.startsWith('link:'))).toEqual(['link: </v2/odd/tags/list?last=b>; rel="next", </v2/odd/tags/list?last=a>; rel="prev"']);
    expect(lines).toContain('connection: close');
    expect(lines.some((l) => l.startsWith('keep-alive:'))).toBe(false);
    expect(lines.some((l) => l.startsWith('x-harbor-blob-file'))).toBe(false);
    expect(lines).toContain('transfer-encoding: chunked');
    expect(dechunk(body)).toBe('first,second');
  });

  it('gives an HTTP/1.0 client a chunked upstream answer as a body ended by closing the connection', async () => {
    const raw = await rawRequest(upstreams.proxy.port, 'GET /v2/odd/teapot HTTP/1.0\r\nHost: harbor.test\r\n\r\n');
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(/^HTTP\/1\.[01] 418 Short And Stout$/);
    const lines = head.toLowerCase().split('\r\n');
    expect(lines).toContain('connection: close');
    expect(lines.some((l) => l.startsWith('transfer-encoding:'))).toBe(false);
    expect(body).toBe('first,second');
  });

  it('answers a HEAD with the upstream\'s headers and no body', async () => {
    const answer = await send(upstreams.proxy.port, '/v2/odd/manifests/latest', { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers['docker-content-digest']).toBe('sha256:' + 'a'.repeat(64));
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
    expect(answer.text).toBe('');
    expect(upstreams.registry.seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/v2/odd/manifests/latest' });
  });

  it('still forwards the body of a GET that has one', async () => {
    const answer = await send(upstreams.proxy.port, '/v2/odd/manifests/latest', { method: 'GET', body: 'abcde', headers: { 'Content-Length': '5' } });
    expect(answer.json()).toEqual({ method: 'GET', url: '/v2/odd/manifests/latest', bodyBytes: 5 });
  });

  it('keeps the client\'s connection for the next request', async () => {
    const raw = await rawRequest(
      upstreams.proxy.port,
      'GET /v2/odd/manifests/a HTTP/1.1\r\nHost: harbor.test\r\n\r\nHEAD /v2/odd/manifests/b HTTP/1.1\r\nHost: harbor.test\r\n\r\nGET /v2/odd/manifests/c HTTP/1.1\r\nHost: harbor.test\r\nConnection: close\r\n\r\n',
    );
    expect(raw.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
    expect(raw).toContain('"url":"/v2/odd/manifests/c"');
  });
});

describe('hasNoBody', () => {
  const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers }) as unknown as IncomingMessage;

  it.each([
    ['GET', {}, true],
    ['HEAD', {}, true],
    ['GET', { 'content-length': '0' }, true],
    ['GET', { 'content-length': '5' }, false],
    ['GET', { 'transfer-encoding': 'chunked' }, false],
    ['DELETE', {}, false],
    ['POST', {}, false],
  ])('%s with %j: %s', (method, headers, expected) => {
    expect(hasNoBody(request(method, headers))).toBe(expected);
  });
});

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
