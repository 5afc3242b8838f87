import request from 'supertest';
import { silentLogger } from '@harbor/logging';
import type { JobView } from '@harbor/queue';
import { TempDir, waitFor } from '@harbor/testkit';
import { Jobservice, start } from '../main';
import { StandInRegistry } from './support/stand-in-registry';
import { dropPrefix, newSecret, tempDir, testConfig, writeSecret } from './support/test-jobservice';

/** The stand-in answers 500 for this age, so jobs asking for it always fail. */
const failingAge = 77;
const maxAgeMinutes = 1440;

describe('jobservice API against a stand-in registry', () => {
  const secret = newSecret();
  const auth = `Harbor-Secret ${secret}`;
  let dir: TempDir;
  let registry: StandInRegistry;
  let service: Jobservice;
  let prefix: string;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    dir = tempDir();
    registry = await new StandInRegistry(secret).start();
    registry.respond = (minutes) =>
      minutes === failingAge
        ? { status: 500, body: { errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] } }
        : { status: 200, body: { purged: minutes === 30 ? 5 : 0 } };
    const config = testConfig({
      internalSecretPath: writeSecret(dir, secret),
      registryUrl: registry.url,
      uploadPurge: { maxAgeMinutes, intervalMinutes: 60 },
    });
    prefix = config.redisPrefix;
    service = await start(config, { logger: silentLogger(), retry: { attempts: 3, backoffMs: 50 }, stopGraceMs: 2_000 });
    api = request(`http://127.0.0.1:${service.port}`);
    await waitFor('jobservice healthy', async () => (await api.get('/api/v1/health')).status === 200);
  });

  afterAll(async () => {
    await service?.stop();
    await registry?.stop();
    await dropPrefix(prefix);
    dir?.remove();
  });

  async function submit(body: unknown) {
    return api.post('/api/v1/jobs').set('Authorization', auth).send(body as object);
  }

  async function settled(id: string): Promise<JobView> {
    return waitFor(
      `job ${id} to finish`,
      async () => {
        const res = await api.get(`/api/v1/jobs/${id}`).set('Authorization', auth);
        expect(res.status).toBe(200);
        const view = res.body as JobView;
        return view.status === 'success' || view.status === 'error' ? view : undefined;
      },
      { timeoutMs: 15_000 },
    );
  }

  it('reports healthy while Redis answers', async () => {
    const res = await api.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy' });
  });

  it('runs PURGE_UPLOADS against the registry with the internal secret and records the purged count', async () => {
    const res = await submit({ name: 'PURGE_UPLOADS', parameters: { olderThanMinutes: 30 } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), name: 'PURGE_UPLOADS', status: 'pending' });
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.id}`);

    const view = await settled(res.body.id);
    expect(view).toEqual({ id: res.body.id, name: 'PURGE_UPLOADS', status: 'success', result: { purged: 5 } });
    const calls = registry.callsFor(30);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ authorized: true, contentType: 'application/json', body: { olderThanMinutes: 30 } });
  });

  it('schedules PURGE_UPLOADS at start with the configured max age', async () => {
    const call = await waitFor('the scheduled purge to reach the registry', () => registry.callsFor(maxAgeMinutes)[0]);
    expect(call).toEqual({ authorized: true, contentType: 'application/json', body: { olderThanMinutes: maxAgeMinutes } });
  });

  it('uses the configured max age when the job names none', async () => {
    const before = registry.callsFor(maxAgeMinutes).length;
    const res = await submit({ name: 'PURGE_UPLOADS' });
    expect(res.status).toBe(202);
    const view = await settled(res.body.id);
    expect(view.status).toBe('success');
    expect(registry.callsFor(maxAgeMinutes).length).toBeGreaterThan(before);
  });

  it('retries a failing purge a few times, then ends the job in error', async () => {
    const res = await submit({ name: 'PURGE_UPLOADS', parameters: { olderThanMinutes: failingAge } });
    expect(res.status).toBe(202);
    const view = await settled(res.body.id);
    expect(view.status).toBe('error');
    expect(view.error).toMatch(/registry answered 500/);
    expect(view.result).toBeUndefined();
    expect(registry.callsFor(failingAge)).toHaveLength(3);
  });

  it('counts jobs by status', async () => {
    const res = await api.get('/api/v1/stats').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ pending: expect.any(Number), running: expect.any(Number), success: expect.any(Number), error: expect.any(Number) });
    expect(res.body.success).toBeGreaterThanOrEqual(2);
    expect(res.body.error).toBeGreaterThanOrEqual(1);
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', undefined],
      ['a wrong secret', 'Harbor-Secret not-the-secret'],
      ['another scheme', `Bearer ${secret}`],
      ['basic credentials', `Basic ${Buffer.from('admin:Harbor12345').toString('base64')}`],
    ])('refuses job submission with %s', async (_what, header) => {
      const req = api.post('/api/v1/jobs').send({ name: 'PURGE_UPLOADS' });
      if (header) req.set('Authorization', header);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: expect.any(String) }] });
    });

    it('refuses status and stats reads without the secret', async () => {
      const submitted = await submit({ name: 'PURGE_UPLOADS', parameters: { olderThanMinutes: 31 } });
      expect((await api.get(`/api/v1/jobs/${submitted.body.id}`)).status).toBe(401);
      expect((await api.get('/api/v1/stats')).status).toBe(401);
    });

    it('does not ask for the secret on health', async () => {
      expect((await api.get('/api/v1/health')).status).toBe(200);
    });
  });

  describe('hostile input', () => {
    const expectEnvelope = (res: request.Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({ errors: [{ code, message: expect.any(String) }] });
    };

    it('answers malformed JSON with 400', async () => {
      const res = await api.post('/api/v1/jobs').set('Authorization', auth).set('Content-Type', 'application/json').send('{"name": "PURGE_UPLOADS",');
      expectEnvelope(res, 400, 'BAD_REQUEST');
    });

    it('answers an unknown job name with 400', async () => {
      expectEnvelope(await submit({ name: 'FORMAT_DISK' }), 400, 'BAD_REQUEST');
      expectEnvelope(await submit({ name: '__proto__' }), 400, 'BAD_REQUEST');
      expectEnvelope(await submit({ name: 'constructor' }), 400, 'BAD_REQUEST');
    });

    it.each([
      ['a string age', { olderThanMinutes: '30' }],
      ['a fractional age', { olderThanMinutes: 1.5 }],
      ['a zero age', { olderThanMinutes: 0 }],
      ['a negative age', { olderThanMinutes: -5 }],
      ['an unknown parameter', { olderThanMinutes: 30, everything: true }],
      ['parameters that are not an object', [30]],
    ])('answers %s with 400 naming the problem', async (_what, parameters) => {
      const res = await submit({ name: 'PURGE_UPLOADS', parameters });
      expectEnvelope(res, 400, 'BAD_REQUEST');
    });

    it.each([
      ['an array', [{ name: 'PURGE_UPLOADS' }]],
      ['a missing name', { parameters: {} }],
      ['a numeric name', { name: 42 }],
      ['extra top-level keys', { name: 'PURGE_UPLOADS', priority: 1 }],
    ])('answers a body that is %s with 400', async (_what, body) => {
      expectEnvelope(await submit(body), 400, 'BAD_REQUEST');
    });

    it('answers a huge body with 413', async () => {
      const res = await submit({ name: 'PURGE_UPLOADS', parameters: { padding: 'x'.repeat(2 * 1024 * 1024) } });
      expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a body that is not JSON with 415', async () => {
      const res = await api.post('/api/v1/jobs').set('Authorization', auth).set('Content-Type', 'text/plain').send('name=PURGE_UPLOADS');
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it.each(['does-not-exist', '1', 'repeat:purge-uploads:0', '..%2F..%2Fetc', 'a'.repeat(500)])('answers unknown job id %s with 404', async (id) => {
      expectEnvelope(await api.get(`/api/v1/jobs/${id}`).set('Authorization', auth), 404, 'NOT_FOUND');
    });

    it('answers unknown paths with a 404 envelope', async () => {
      expectEnvelope(await api.get('/api/v1/nothing-here').set('Authorization', auth), 404, 'NOT_FOUND');
      expectEnvelope(await api.get('/'), 404, 'NOT_FOUND');
    });

    it('never submits anything for refused bodies', async () => {
      expect(registry.calls.every((c) => c.authorized)).toBe(true);
    });
  });
});
