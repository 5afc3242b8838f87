/**
 * Which requests the /v2 fast path takes and which it leaves to the Express
 * app: only manifest GET/HEAD, tags/list GET and the upload steps (POST to
 * start, GET/PATCH/PUT/DELETE of a session) with a plain path, and none
 * while the registry's own access line (debug) is on.
 */
import { createServer, Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { close, listen } from '@harbor/http';
import { createLogger } from '@harbor/logging';
import { withV2FastPath } from './v2-fast-path';

async function serve(level: 'info' | 'debug') {
  const app = express();
  app.use((req, res) => void res.status(200).send(`app ${req.method} ${req.url}`));
  const logger = createLogger({ service: 'registry', level, syslog: null, stdout: false });
  const listener = withV2FastPath({
    app,
    dispatch: async (_req, res, route) => void res.status(200).send(`fast ${route?.kind} ${route?.name} ${route?.reference}`),
    before: [(_req, res, next) => (res.setHeader('X-Before', 'ran'), next())],
    renderError: (_err, _req, res) => void res.status(500).send('error'),
    logger,
  });
  const server: Server = createServer(listener);
  const port = await listen(server, 0, '127.0.0.1');
  return { http: request(`http://127.0.0.1:${port}`), listener, stop: () => close(server) };
}

describe('v2 fast path routing', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve('info');
  });
  afterAll(async () => s.stop());

  it.each([
    ['GET', '/v2/library/app/manifests/latest', 'fast manifest library/app latest'],
    ['HEAD', '/v2/a/b/c/manifests/sha256:abc', ''],
    ['GET', '/v2/library/app/manifests/v1?x=1', 'fast manifest library/app v1'],
    ['GET', '/v2/p/tags/tags/list', 'fast tags p/tags '],
    ['GET', '/v2/library/app/tags/list?n=1&last=a', 'fast tags library/app '],
    ['POST', '/v2/library/app/blobs/uploads/', 'fast uploads library/app '],
    ['POST', '/v2/library/app/blobs/uploads/?digest=sha256:abc', 'fast uploads library/app '],
    ['PATCH', '/v2/library/app/blobs/uploads/3f1c2d4e-aaaa-bbbb-cccc-0123456789ab', 'fast upload library/app 3f1c2d4e-aaaa-bbbb-cccc-0123456789ab'],
    ['PUT', '/v2/a/b/blobs/uploads/u1?digest=sha256:abc', 'fast upload a/b u1'],
    ['GET', '/v2/library/app/blobs/uploads/u1', 'fast upload library/app u1'],
    ['DELETE', '/v2/library/app/blobs/uploads/u1', 'fast upload library/app u1'],
  ])('takes %s %s', async (method, path, body) => {
    const served = s.listener.stats.served;
    const res = await s.http[method.toLowerCase() as 'get' | 'head' | 'post' | 'patch' | 'put' | 'delete'](path);
    expect(s.listener.stats.served).toBe(served + 1);
    expect(res.headers['x-before']).toBe('ran');
    if (method !== 'HEAD') expect(res.text).toBe(body);
  });

  it.each([
    ['HEAD', '/v2/library/app/tags/list'],
    ['PUT', '/v2/library/app/manifests/latest'],
    ['DELETE', '/v2/library/app/manifests/latest'],
    ['GET', '/v2/'],
    ['GET', '/v2/_catalog'],
    ['GET', '/v2/library/app/blobs/sha256:abc'],
    ['GET', '/v2/library/app/manifests/latest/'],
    ['GET', '/v2//library/app/manifests/latest'],
    ['GET', '/V2/library/app/manifests/latest'],
    ['GET', '/v2/library/app/manifests/'],
    ['GET', '/health'],
    ['HEAD', '/v2/library/app/blobs/uploads/u1'],
    ['POST', '/v2/library/app/blobs/uploads'],
    ['POST', '/v2/library/app/blobs/uploads/u1'],
    ['PATCH', '/v2/library/app/blobs/uploads/'],
    ['PATCH', '/v2/library/app/blobs/uploads/u1/'],
    ['POST', '/internal/uploads/purge'],
  ])('leaves %s %s to the app', async (method, path) => {
    const served = s.listener.stats.served;
    const res = await s.http[method.toLowerCase() as 'get' | 'head' | 'post' | 'patch' | 'put' | 'delete'](path);
    expect(s.listener.stats.served).toBe(served);
    expect(res.headers['x-before']).toBeUndefined();
    if (method !== 'HEAD') expect(res.text).toMatch(/^app /);
  });

  it('leaves everything to the app while debug logging is on', async () => {
    const debug = await serve('debug');
    try {
      const res = await debug.http.get('/v2/library/app/manifests/latest');
      expect(res.text).toBe('app GET /v2/library/app/manifests/latest');
      expect(debug.listener.stats.served).toBe(0);
    } finally {
      await debug.stop();
    }
  });
});
