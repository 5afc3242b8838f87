import request from 'supertest';
import { sql } from '@harbor/db';
import { asAdmin, Harness, healthServer, startCore, tcpListener } from './support/core-harness';

describe('ping, systeminfo, landing page and error handling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h.close());

  it('answers /ping with Pong as text/plain, anonymously', async () => {
    const res = await h.http.get('/api/v2.0/ping');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('Pong');
  });

  it('echoes a sane X-Request-Id and makes one otherwise', async () => {
    expect((await h.http.get('/api/v2.0/ping').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    const made = (await h.http.get('/api/v2.0/ping').set('X-Request-Id', 'bad id\twith spaces')).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows anonymous callers the public subset of /systeminfo and signed-in callers more', async () => {
    const anonymous = await h.http.get('/api/v2.0/systeminfo');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ auth_mode: 'db_auth', self_registration: false, primary_auth_mode: false });
    expect(typeof anonymous.body.harbor_version).toBe('string');
    expect(anonymous.body.external_url).toBeUndefined();
    expect(anonymous.body.project_creation_restriction).toBeUndefined();
    const admin = await h.http.get('/api/v2.0/systeminfo').set('Authorization', asAdmin);
    expect(admin.body).toMatchObject({
      auth_mode: 'db_auth',
      external_url: 'http://harbor.test:8080',
      registry_url: 'harbor.test:8080',
      project_creation_restriction: 'everyone',
      read_only: false,
      has_ca_root: false,
      notification_enable: false,
      registry_storage_provider_name: 'filesystem',
    });
    expect(anonymous.body.registry_storage_provider_name).toBeUndefined();
  });

  it('reports the registry storage driver core was configured with', async () => {
    const other = await h.startAnother({ registryStorageProviderName: 's3' });
    const res = await request(`http://127.0.0.1:${other.port}`).get('/api/v2.0/systeminfo').set('Authorization', asAdmin);
    expect(res.body.registry_storage_provider_name).toBe('s3');
  });

  it('serves a landing page at / naming the product and the API', async () => {
    const res = await h.http.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Harbor-TS');
    expect(res.text).toContain('/api/v2.0');
  });

  it.each(['/c/nosuch', '/api/v2.0/nosuch', '/nowhere', '/api/v2.0/../../etc/passwd'])('answers %s with the Harbor 404 envelope', async (path) => {
    const res = await h.http.get(path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ code: 'NOT_FOUND', message: expect.any(String) }] });
  });

  it('answers an unsupported method on a known path with 405', async () => {
    const res = await h.http.patch('/api/v2.0/projects').set('Authorization', asAdmin).send({});
    expect(res.status).toBe(405);
    expect(res.body.errors[0].code).toBe('METHOD_NOT_ALLOWED');
  });

  it('refuses bodies over 1 MiB with 413 and nothing created', async () => {
    const res = await h.http
      .post('/api/v2.0/projects')
      .set('Authorization', asAdmin)
      .send({ project_name: 'big', metadata: { public: 'true' }, padding: 'x'.repeat(1100 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].code).toBe('PAYLOAD_TOO_LARGE');
    expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'big' }).set('Authorization', asAdmin)).status).toBe(404);
  });

  it('answers 400 when the body is not JSON at all', async () => {
    const res = await h.http.post('/api/v2.0/projects').set('Authorization', asAdmin).set('Content-Type', 'text/plain').send('project_name=x');
    expect(res.status).toBe(400);
  });

  it.each(['/api/v2.0/projects/%ff%fe', '/api/v2.0/projects/library/repositories/a/artifacts/%E0%A4%A', '/api/v2.0/users/%ff'])(
    'answers 400 for a path parameter that is not valid percent-encoding (%s)',
    async (path) => {
      const res = await h.http.get(path).set('Authorization', asAdmin);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: 'malformed percent-encoding in the request' }] });
    },
  );

  it('refuses an Authorization header that is not Basic with 401', async () => {
    const res = await h.http.get('/api/v2.0/projects').set('Authorization', 'Bearer something');
    expect(res.status).toBe(401);
  });

  it('logs internal failures but answers a generic 500 without details', async () => {
    const broken = await startCore();
    try {
      await sql`DROP TABLE project_member`.execute(broken.database.db);
      const res = await broken.http.get('/api/v2.0/projects/library/members').set('Authorization', asAdmin);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'internal server error' }] });
      expect(JSON.stringify(res.body)).not.toMatch(/project_member|SELECT|ER_NO_SUCH/);
    } finally {
      await broken.close();
    }
  });
});

describe('GET /api/v2.0/health', () => {
  it('reports every component healthy when they all answer', async () => {
    const registry = await healthServer('/health', 200);
    const jobservice = await healthServer('/api/v1/health', 200);
    const log = await tcpListener();
    const h = await startCore({ config: { registryUrl: registry.url, jobserviceUrl: jobservice.url, logCollector: { host: '127.0.0.1', port: log.port } } });
    try {
      const res = await h.http.get('/api/v2.0/health');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('healthy');
      expect(res.body.components).toEqual(
        ['core', 'database', 'jobservice', 'log', 'redis', 'registry'].map((name) => ({ name, status: 'healthy' })),
      );
    } finally {
      await h.close();
      await Promise.all([registry.close(), jobservice.close(), log.close()]);
    }
  });

  it('reports down, failing and hanging components as unhealthy with a reason, within the timeout', async () => {
    const registry = await healthServer('/health', 503);
    const jobservice = await healthServer('/api/v1/health', 200, 5000);
    const h = await startCore({
      healthTimeoutMs: 500,
      config: { registryUrl: registry.url, jobserviceUrl: jobservice.url, redisUrl: 'redis://127.0.0.1:1' },
    });
    try {
      const started = Date.now();
      const res = await h.http.get('/api/v2.0/health');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('unhealthy');
      const byName = Object.fromEntries(res.body.components.map((c: { name: string }) => [c.name, c]));
      expect(byName.core.status).toBe('healthy');
      expect(byName.database.status).toBe('healthy');
      expect(byName.registry).toEqual({ name: 'registry', status: 'unhealthy', error: expect.stringContaining('503') });
      expect(byName.jobservice).toEqual({ name: 'jobservice', status: 'unhealthy', error: expect.stringContaining('500 ms') });
      expect(byName.redis.status).toBe('unhealthy');
      expect(byName.log.status).toBe('unhealthy');
    } finally {
      await h.close();
      await Promise.all([registry.close(), jobservice.close()]);
    }
  });
});
