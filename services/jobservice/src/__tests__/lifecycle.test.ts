import { Queue } from 'bullmq';
import request from 'supertest';
import { silentLogger } from '@harbor/logging';
import { jobQueueName, JobView } from '@harbor/queue';
import { TempDir, waitFor } from '@harbor/testkit';
import { Jobservice, start } from '../main';
import { StandInRegistry } from './support/stand-in-registry';
import { dropPrefix, newSecret, tempDir, testConfig, testPrefix, testRedisUrl, writeSecret } from './support/test-jobservice';

describe('jobservice lifecycle', () => {
  const secret = newSecret();
  const prefix = testPrefix();
  let dir: TempDir;
  let registry: StandInRegistry;
  let queue: Queue;
  const running: Jobservice[] = [];

  beforeAll(async () => {
    dir = tempDir();
    registry = await new StandInRegistry(secret).start();
    queue = new Queue(jobQueueName, { connection: { url: testRedisUrl }, prefix });
  });

  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    await queue?.close();
    await registry?.stop();
    await dropPrefix(prefix);
    dir?.remove();
  });

  function config(intervalMinutes: number) {
    return testConfig({
      internalSecretPath: writeSecret(dir, secret),
      registryUrl: registry.url,
      redisPrefix: prefix,
      uploadPurge: { maxAgeMinutes: 60, intervalMinutes },
    });
  }

  async function launch(intervalMinutes: number): Promise<Jobservice> {
    const service = await start(config(intervalMinutes), { logger: silentLogger(), stopGraceMs: 5_000 });
    running.push(service);
    return service;
  }

  async function stop(service: Jobservice): Promise<void> {
    running.splice(running.indexOf(service), 1);
    await service.stop();
  }

  it('keeps one upload-purge schedule across replicas and restarts, following the configured interval', async () => {
    const first = await launch(15);
    const second = await launch(15);
    const schedulers = await waitFor('the purge schedule', async () => {
      const found = await queue.getJobSchedulers();
      return found.length > 0 ? found : undefined;
    });
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'purge-uploads', name: 'PURGE_UPLOADS', every: 15 * 60_000 });

    await stop(first);
    await stop(second);
    const restarted = await launch(20);
    await waitFor('the schedule to follow the new interval', async () => {
      const found = await queue.getJobSchedulers();
      return found.length === 1 && found[0].every === 20 * 60_000;
    });
    await stop(restarted);
  });

  it('lets a running job finish when stopped', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    registry.respond = async (minutes) => {
      if (minutes === 45) {
        started = true;
        await released;
        return { status: 200, body: { purged: 3 } };
      }
      return { status: 200, body: { purged: 0 } };
    };
    const service = await launch(60);
    const api = request(`http://127.0.0.1:${service.port}`);
    await waitFor('healthy', async () => (await api.get('/api/v1/health')).status === 200);
    const res = await api.post('/api/v1/jobs').set('Authorization', `Harbor-Secret ${secret}`).send({
      name: 'PURGE_UPLOADS',
      parameters: { olderThanMinutes: 45 },
    });
    expect(res.status).toBe(202);
    await waitFor('the job to reach the registry', () => started);

    const stopping = stop(service);
    setTimeout(release, 300);
    await stopping;

    const job = await queue.getJob(res.body.id);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual({ purged: 3 });
    expect((res.body as JobView).status).toBe('pending');
  });
});
