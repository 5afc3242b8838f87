/**
 * The shared error renderer: an error is always the JSON envelope, whatever
 * headers the handler set for the success it was preparing (a blob 404 once
 * went out as cacheable application/octet-stream with the blob's digest).
 */
import express from 'express';
import request from 'supertest';
import { AppError } from '@harbor/errors';
import { silentLogger } from '@harbor/logging';
import { errorRenderer } from './error-renderer';

function appFailingAfter(setHeaders: (res: express.Response) => void, error: unknown, envelope: 'oci' | 'harbor' = 'oci') {
  const app = express();
  app.set('etag', false); // as the services do: an error must not get one either
  app.get('/x', (_req, res) => {
    res.setHeader('X-Request-Id', 'req-1');
    setHeaders(res);
    throw error;
  });
  app.use(errorRenderer(envelope, silentLogger()));
  return app;
}

describe('error renderer', () => {
  it('answers JSON and drops the body and caching headers a handler set for its success', async () => {
    const app = appFailingAfter((res) => {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', '1048576');
      res.setHeader('Docker-Content-Digest', 'sha256:abc');
      res.setHeader('ETag', '"sha256:abc"');
      res.setHeader('Cache-Control', 'max-age=31536000');
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('Last-Modified', 'Mon, 23 Nov 2026 10:00:00 GMT');
    }, new AppError('BLOB_UNKNOWN', 'blob unknown to registry'));
    const res = await request(app).get('/x');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const name of ['docker-content-digest', 'etag', 'cache-control', 'accept-ranges', 'last-modified']) {
      expect(res.headers[name]).toBeUndefined();
    }
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.body).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
  });

  it("keeps the request id and the error's own headers", async () => {
    const app = appFailingAfter(
      (res) => res.setHeader('Content-Range', 'bytes 0-9/10'),
      new AppError('RANGE_INVALID', 'range not satisfiable', undefined, { headers: { 'Content-Range': 'bytes */10' } }),
    );
    const res = await request(app).get('/x');
    expect(res.status).toBe(416);
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.headers['content-range']).toBe('bytes */10');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('speaks only the spec\'s codes in the OCI envelope: a Harbor code goes out as UNKNOWN with its own status', async () => {
    // A route parameter Express cannot decode (%ff) throws a URIError, which is a 400 BAD_REQUEST in Harbor's terms.
    const res = await request(appFailingAfter(() => undefined, new URIError('URI malformed'))).get('/x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ code: 'UNKNOWN', message: 'malformed percent-encoding in the request' }] });
    const harbor = await request(appFailingAfter(() => undefined, new URIError('URI malformed'), 'harbor')).get('/x');
    expect(harbor.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: 'malformed percent-encoding in the request' }] });
  });

  it('renders the Harbor envelope the same way, and hides a 5xx cause', async () => {
    const app = appFailingAfter((res) => res.setHeader('Content-Type', 'text/plain'), new Error('database exploded'), 'harbor');
    const res = await request(app).get('/x');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).not.toContain('exploded');
    expect(res.body.errors[0].code).toBe('INTERNAL_SERVER_ERROR');
  });
});
