import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { tempDir } from '@harbor/testkit';
import { portal } from './portal';

describe('portal serving', () => {
  const dir = tempDir('portal-');
  const page = '<!doctype html><title>portal</title><script src="/assets/index-abc123.js"></script>';
  const app = express();

  beforeAll(() => {
    mkdirSync(join(dir.path, 'assets'));
    writeFileSync(join(dir.path, 'index.html'), page);
    writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), 'console.log(1)');
    app.use(portal(dir.path));
    app.use((_req, res) => {
      res.status(404).json({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    });
  });
  afterAll(() => dir.remove());

  it('caches hashed assets for a year as immutable', async () => {
    const res = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe('console.log(1)');
  });

  it('answers a missing asset with the 404 of the app, not the page', async () => {
    const res = await request(app).get('/assets/gone-000.js').set('Accept', '*/*').expect(404);
    expect(res.body.errors[0].code).toBe('NOT_FOUND');
  });

  it.each(['/', '/harbor/projects', '/harbor/projects?page=2', '/account/sign-in'])('serves index.html, revalidated, for the client route %s', async (path) => {
    const res = await request(app).get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(page);
  });

  it.each(['/api/v2.0/nothing', '/c/nothing', '/service/nothing', '/v2/nothing', '/api'])('leaves the server path %s to the server', async (path) => {
    await request(app).get(path).set('Accept', 'text/html').expect(404);
  });

  it('does not answer JSON-only requests or writes with the page', async () => {
    await request(app).get('/harbor/projects').set('Accept', 'application/json').expect(404);
    await request(app).post('/harbor/projects').set('Accept', 'text/html').expect(404);
  });
});
