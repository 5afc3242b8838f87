import http from 'node:http';
import net from 'node:net';
import { freePort, waitFor } from '@harbor/testkit';
import { silentLogger } from '@harbor/logging';
import type { RunningProxy } from './main';
import { proxyBetweenStandIns, proxyConfig, rawRequest, send, startProxy } from './__tests__/harness';

describe('proxy routing and headers', () => {
  const logger = silentLogger();
  const info = jest.spyOn(logger, 'info');
  const upstreams = proxyBetweenStandIns({
    core: (req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/api/v2.0/keepalive') res.setHeader('Keep-Alive', 'timeout=65');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ upstream: 'core', url: req.url }));
      });
    },
    logger,
  });
  beforeEach(() => {
    upstreams.registry.seen.length = 0;
    upstreams.core.seen.length = 0;
  });

  it.each([
    ['/v2/', 'registry'],
    ['/v2', 'registry'],
    ['/v2/library/hello/manifests/1', 'registry'],
    ['/v2/_catalog?n=5&last=a', 'registry'],
    ['/service/token?service=harbor-registry&scope=repository%3Alibrary%2Fhello%3Apull', 'core'],
    ['/api/v2.0/projects?page=1', 'core'],
    ['/c/login', 'core'],
    ['/', 'core'],
    ['/some/portal/route', 'core'],
  ])('forwards %s to the %s with its path and query unchanged', async (path, upstream) => {
    const answer = await send(upstreams.proxy.port, path);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ upstream, url: path });
  });

  it.each([
    '/service/notifications',
    '//service/notifications',
    '/service/%6eotifications',
    '/service/%256eotifications',
    '/SERVICE/NOTIFICATIONS',
    '/v2/../service/notifications',
    '/v2/%2e%2e/service/notifications',
    '/service\\notifications',
    '/internal/uploads/purge',
    '/v2/..%2Finternal/uploads/purge',
    '/Internal/uploads/purge',
  ])('answers %s with 404 in the Harbor envelope and never forwards it', async (path) => {
    const answer = await send(upstreams.proxy.port, path, { method: 'POST', body: '{"events":[]}', headers: { 'Content-Type': 'application/json' } });
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    expect(upstreams.registry.seen).toHaveLength(0);
    expect(upstreams.core.seen).toHaveLength(0);
  });

  it('hides notifications asked for in absolute form too', async () => {
    const raw = await rawRequest(upstreams.proxy.port, 'GET http://harbor.test/service/notifications HTTP/1.1\r\nHost: harbor.test\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 404 /);
    expect(upstreams.core.seen).toHaveLength(0);
  });

  it('keeps the Host header and tells the upstream who asked, over what and through which host and port', async () => {
    await send(upstreams.proxy.port, '/api/v2.0/ping', { headers: { Host: 'harbor.example.com:8443' } });
    const headers = upstreams.core.seen[0].headers;
    expect(headers.host).toBe('harbor.example.com:8443');
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('harbor.example.com:8443');
    expect(headers['x-forwarded-port']).toBe('8443');
  });

  it('appends to a client X-Forwarded-For but does not let the client choose Proto, Host or Port', async () => {
    await send(upstreams.proxy.port, '/v2/', {
      headers: { Host: 'harbor.test', 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Port': '1' },
    });
    const headers = upstreams.registry.seen[0].headers;
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('harbor.test');
    expect(headers['x-forwarded-port']).toBe('80');
  });

  it('passes a sane X-Request-Id through and makes one up otherwise', async () => {
    const kept = await send(upstreams.proxy.port, '/api/v2.0/ping', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(upstreams.core.seen[0].headers['x-request-id']).toBe('abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');

    const made = await send(upstreams.proxy.port, '/api/v2.0/ping', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    const generated = upstreams.core.seen[1].headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers['x-request-id']).toBe(generated);
  });

  it('does not pass connection-level headers on, and refuses to drop end-to-end ones named in Connection', async () => {
    await send(upstreams.proxy.port, '/api/v2.0/ping', {
      headers: { Connection: 'keep-alive, x-secret-hop, authorization', 'X-Secret-Hop': '1', Authorization: 'Basic YTpi', 'Keep-Alive': 'timeout=99' },
    });
    const headers = upstreams.core.seen[0].headers;
    expect(headers['x-secret-hop']).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers.authorization).toBe('Basic YTpi');
  });

  it('describes its own keep-alive to the client, not the upstream\'s', async () => {
    const answer = await keepAliveRequest(upstreams.proxy.port, '/api/v2.0/keepalive');
    expect(answer.status).toBe(200);
    expect(upstreams.core.seen[0].url).toBe('/api/v2.0/keepalive');
    expect(answer.headers['keep-alive']).toBe('timeout=95');

    const closing = await send(upstreams.proxy.port, '/api/v2.0/keepalive', { headers: { Connection: 'close' } });
    expect(closing.headers.connection).toBe('close');
    expect(closing.headers['keep-alive']).toBeUndefined();
  });

  it('keeps an idle client connection open past Node\'s default 5 s, so a later request on it still works', async () => {
    const socket = net.connect(upstreams.proxy.port, '127.0.0.1');
    const replies: string[] = [];
    socket.on('data', (d: Buffer) => replies.push(d.toString()));
    const ask = () => socket.write('GET /api/v2.0/keepalive HTTP/1.1\r\nHost: registry.test\r\n\r\n');
    const answered = (n: number) => waitFor(`reply ${n}`, () => replies.join('').split('HTTP/1.1 200').length - 1 >= n);
    ask();
    await answered(1);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(socket.destroyed).toBe(false);
    ask();
    await answered(2);
    socket.destroy();
  }, 20_000);

  it('logs one access line per request with its id', async () => {
    info.mockClear();
    await send(upstreams.proxy.port, '/v2/?x=1', { headers: { 'X-Request-Id': 'line-1' } });
    await waitFor('access line', () => info.mock.calls.length > 0);
    expect(info).toHaveBeenCalledTimes(1);
    const [message, meta] = info.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(message).toBe('GET /v2/ 200');
    expect(meta).toMatchObject({ requestId: 'line-1', upstream: 'registry' });
  });

  it('answers Expect: 100-continue itself once the route is known, then streams the body', async () => {
    const result = await expectContinue(upstreams.proxy.port, '/v2/library/x/blobs/uploads/1', 'x'.repeat(100_000));
    expect(result.continued).toBe(true);
    expect(result.status).toBe(200);
    expect(upstreams.registry.seen[0].bodyBytes).toBe(100_000);
    expect(upstreams.registry.seen[0].headers.expect).toBeUndefined();
  });

  it('refuses a hidden path under Expect: 100-continue without asking for the body', async () => {
    const result = await expectContinue(upstreams.proxy.port, '/service/notifications', 'x'.repeat(1000));
    expect(result.continued).toBe(false);
    expect(result.status).toBe(404);
    expect(upstreams.core.seen).toHaveLength(0);
  });
});

describe('proxy when an upstream fails', () => {
  let deadPort: number;
  let proxy: RunningProxy;

  beforeAll(async () => {
    deadPort = await freePort();
    proxy = await startProxy(proxyConfig(`http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${deadPort}`));
  });
  afterAll(() => proxy.stop());

  it('answers /v2 with 503 in the OCI envelope when the registry is down', async () => {
    const answer = await send(proxy.port, '/v2/library/hello/manifests/1');
    expect(answer.status).toBe(503);
    expect(answer.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(answer.json()).toEqual({ errors: [{ code: 'UNKNOWN', message: 'registry is unavailable' }] });
    expect(answer.text).not.toContain(String(deadPort));
  });

  it('answers /api with 503 in the Harbor envelope when core is down', async () => {
    const answer = await send(proxy.port, '/api/v2.0/projects');
    expect(answer.status).toBe(503);
    expect(answer.json()).toEqual({ errors: [{ code: 'SERVICE_UNAVAILABLE', message: 'core is unavailable' }] });
  });
});

/** Answers Node's HTTP client accepts and its server refuses to write. */
const unwritableAnswers: Record<string, string> = {
  '/api/status-below-100': 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\n{}',
  '/api/control-in-reason': 'HTTP/1.1 200 O\x01K\r\nContent-Length: 2\r\n\r\n{}',
};

describe('proxy with misbehaving upstreams', () => {
  const events: string[] = [];
  const upstreams = proxyBetweenStandIns({
    registry: (req, res) => {
      if (req.url === '/v2/silent') return; // never answers
      if (req.url === '/v2/endless') {
        // Streams until the connection goes away.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024);
        const timer = setInterval(() => res.write(chunk), 5);
        res.on('close', () => {
          clearInterval(timer);
          events.push('download-closed');
        });
        return;
      }
      if (req.url === '/v2/slow-upload') {
        req.on('data', () => events.push('upload-data'));
        req.on('close', () => events.push(req.complete ? 'upload-complete' : 'upload-aborted'));
        return;
      }
      if (req.url === '/v2/dies-midway') {
        res.writeHead(200, { 'Content-Length': '1000000' });
        res.write(Buffer.alloc(1000));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.end('{}');
    },
    core: (req, res) => {
      if (req.url === '/api/garbage') {
        req.socket.end('this is not http\r\n\r\n');
        return;
      }
      const unwritable = unwritableAnswers[req.url ?? ''];
      if (unwritable) {
        // Answered once the body is in, so an upload's answer comes as it would.
        req.resume();
        req.on('end', () => req.socket.end(unwritable));
        return;
      }
      res.end('{}');
    },
    config: { registryTimeoutSeconds: 1 },
  });

  it('answers 504 in the OCI envelope when the registry goes silent past its timeout', async () => {
    const answer = await send(upstreams.proxy.port, '/v2/silent');
    expect(answer.status).toBe(504);
    expect(answer.json()).toEqual({ errors: [{ code: 'UNKNOWN', message: 'registry did not answer in time' }] });
  });

  it('answers 502 in the Harbor envelope when core speaks garbage', async () => {
    const answer = await send(upstreams.proxy.port, '/api/garbage');
    expect(answer.status).toBe(502);
    expect(answer.json()).toEqual({ errors: [{ code: 'SERVICE_UNAVAILABLE', message: 'core failed to answer' }] });
  });

  it.each(Object.keys(unwritableAnswers).flatMap((path) => [['GET', path] as const, ['PUT', path] as const]))(
    'answers 502 to a %s when the upstream\'s answer parses but cannot be written (%s), and keeps serving',
    async (method, path) => {
      const answer = await send(upstreams.proxy.port, path, method === 'PUT' ? { method, body: 'abc', headers: { 'Content-Length': '3' } } : { method });
      expect(answer.status).toBe(502);
      expect(answer.json()).toEqual({ errors: [{ code: 'SERVICE_UNAVAILABLE', message: 'core failed to answer' }] });
      expect((await send(upstreams.proxy.port, '/api/fine')).status).toBe(200);
    },
  );

  it('cuts the client off when the upstream dies mid-body, and keeps serving', async () => {
    await expect(send(upstreams.proxy.port, '/v2/dies-midway')).rejects.toThrow();
    const next = await send(upstreams.proxy.port, '/v2/');
    expect(next.status).toBe(200);
  });

  it('tears down the upstream download when the client aborts', async () => {
    events.length = 0;
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: upstreams.proxy.port, path: '/v2/endless', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    });
    await waitFor('upstream download to close', () => events.includes('download-closed'), { timeoutMs: 5000 });
  });

  it('tears down the upstream upload when the client aborts', async () => {
    events.length = 0;
    const req = http.request({
      host: '127.0.0.1',
      port: upstreams.proxy.port,
      path: '/v2/slow-upload',
      method: 'PATCH',
      agent: false,
      headers: { 'Transfer-Encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1024));
    await waitFor('first bytes upstream', () => events.includes('upload-data'), { timeoutMs: 5000 });
    req.destroy();
    await waitFor('upstream upload to be aborted', () => events.includes('upload-aborted'), { timeoutMs: 5000 });
  });
});

/** A request on a keep-alive connection, so the proxy describes its keep-alive. */
function keepAliveRequest(port: number, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          agent.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
        });
      })
      .on('error', reject);
  });
}

/** Sends a body only after a 100 Continue, as curl does for large uploads. */
function expectContinue(port: number, path: string, body: string): Promise<{ continued: boolean; status: number }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'PUT',
      agent: false,
      headers: { Expect: '100-continue', 'Content-Length': String(body.length) },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        if (!continued) req.destroy();
        resolve({ continued, status: res.statusCode ?? 0 });
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.flushHeaders();
  });
}
