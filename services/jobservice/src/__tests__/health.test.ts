import request from 'supertest';
import { silentLogger } from '@harbor/logging';
import { freePort, TempDir } from '@harbor/testkit';
import { Jobservice, start } from '../main';
import { newSecret, tempDir, testConfig, writeSecret } from './support/test-jobservice';

describe('jobservice without Redis', () => {
  const secret = newSecret();
  let dir: TempDir;
  let service: Jobservice;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    dir = tempDir();
    // A port nothing listens on: Redis is "down" for the whole file.
    const closedPort = await freePort();
    const config = testConfig({
      internalSecretPath: writeSecret(dir, secret),
      registryUrl: 'http://127.0.0.1:1',
      redisUrl: `redis://127.0.0.1:${closedPort}`,
    });
    service = await start(config, { logger: silentLogger(), stopGraceMs: 1_000 });
    api = request(`http://127.0.0.1:${service.port}`);
  });

  afterAll(async () => {
    await service?.stop();
    dir?.remove();
  });

  it('still starts and answers health with 503 unhealthy', async () => {
    const res = await api.get('/api/v1/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unhealthy' });
  });

  it('answers job submission with a 503 envelope instead of hanging', async () => {
    const res = await api.post('/api/v1/jobs').set('Authorization', `Harbor-Secret ${secret}`).send({ name: 'PURGE_UPLOADS' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errors: [{ code: 'SERVICE_UNAVAILABLE', message: 'job queue unavailable' }] });
  });

  it('answers status and stats reads with 503 too', async () => {
    const auth = `Harbor-Secret ${secret}`;
    expect((await api.get('/api/v1/jobs/some-id').set('Authorization', auth)).status).toBe(503);
    expect((await api.get('/api/v1/stats').set('Authorization', auth)).status).toBe(503);
  });

  it('still validates requests before needing Redis', async () => {
    const res = await api.post('/api/v1/jobs').set('Authorization', `Harbor-Secret ${secret}`).send({ name: 'NOPE' });
    expect(res.status).toBe(400);
  });
});

describe('jobservice startup', () => {
  it('fails when the internal secret file is missing', async () => {
    const config = testConfig({ internalSecretPath: '/nonexistent/internal_secret', registryUrl: 'http://127.0.0.1:1' });
    await expect(start(config, { logger: silentLogger() })).rejects.toThrow(/internal_secret/);
  });
});
