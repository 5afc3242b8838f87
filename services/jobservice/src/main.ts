import { createServer } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { configPathFromArgs, JobserviceConfig, jobserviceConfigSchema, loadServiceConfig, readSecret } from '@harbor/config';
import { close, listen, onShutdown } from '@harbor/http';
import { createLogger, Logger } from '@harbor/logging';
import { jobDefinitions, JobDefinitions, jobQueueName } from '@harbor/queue';
import { createApp } from './app';
import { Clock, systemClock } from './clock';
import type { JobHandlerMap } from './jobs/job-handler';
import { createJobRegistry } from './jobs/job-registry';
import { purgeUploadsJob } from './jobs/purge-uploads.job';
import { JobQueue } from './queue/job-queue';
import { createJobWorker } from './queue/job-worker';
import { closeRedis, createRedis } from './queue/redis-connection';
import { defaultRetryPolicy, RetryPolicy } from './queue/retry-policy';
import { ensureSchedules } from './queue/schedules';
import { HttpRegistryClient } from './registry/registry.client';

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  retry?: RetryPolicy;
  /** How long `stop()` lets running jobs finish before cutting them off. */
  stopGraceMs?: number;
}

export interface Jobservice {
  port: number;
  stop(): Promise<void>;
}

/**
 * Assembles the jobservice from its config: Redis connections, the job
 * registry with every handler and its side effects, the BullMQ queue, its
 * workers and schedules, and the HTTP API. Does not wait for Redis: the API
 * answers (health says 503) and the workers start once Redis does.
 */
export async function start(config: JobserviceConfig, options: StartOptions = {}): Promise<Jobservice> {
  const logger = options.logger ?? createLogger(config.log);
  const clock = options.clock ?? systemClock;
  const retry = options.retry ?? defaultRetryPolicy;
  const internalSecret = readSecret(config.internalSecretPath);

  const registryClient = new HttpRegistryClient({ baseUrl: config.registryUrl, internalSecret });
  const handlers: JobHandlerMap<JobDefinitions> = {
    PURGE_UPLOADS: purgeUploadsJob({
      registry: registryClient,
      clock,
      logger,
      defaultMaxAgeMinutes: config.uploadPurge.maxAgeMinutes,
    }),
  };
  const registry = createJobRegistry(jobDefinitions, handlers);

  const commands = createRedis(config.redisUrl, 'commands', logger);
  const workerConnection = createRedis(config.redisUrl, 'worker', logger);
  const queue = new Queue(jobQueueName, { connection: commands, prefix: config.redisPrefix });
  queue.on('error', (err) => logger.debug(`queue: ${err.message}`));
  const jobQueue = new JobQueue(queue, commands, retry);
  let worker: Worker | undefined;
  const scheduling = new AbortController();
  const server = createServer(createApp({ registry, queue: jobQueue, internalSecret, logger }));

  try {
    worker = createJobWorker({
      queueName: jobQueueName,
      prefix: config.redisPrefix,
      connection: workerConnection,
      concurrency: config.maxJobWorkers,
      registry,
      logger,
    });
    void ensureSchedules(
      queue,
      [
        {
          id: 'purge-uploads',
          jobName: 'PURGE_UPLOADS',
          everyMs: config.uploadPurge.intervalMinutes * 60_000,
          parameters: {},
        },
      ],
      retry,
      logger,
      scheduling.signal,
    );
    const port = await listen(server, config.listen.port, config.listen.host);
    logger.info(`jobservice listening on ${config.listen.host}:${port}, ${config.maxJobWorkers} worker(s)`);
    return { port, stop: () => stopAll(options.stopGraceMs ?? 10_000) };
  } catch (err) {
    await stopAll(0);
    throw err;
  }

  async function stopAll(graceMs: number): Promise<void> {
    scheduling.abort();
    await close(server);
    if (worker) await closeWorker(worker, graceMs, logger);
    await queue.close().catch(() => undefined);
    await Promise.all([closeRedis(commands), closeRedis(workerConnection)]);
  }
}

/** Lets running jobs finish for `graceMs`, then stops waiting; BullMQ retries the cut-off ones as stalled. */
async function closeWorker(worker: Worker, graceMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = worker.close().then(() => true);
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  const finished = await Promise.race([graceful, expired]).catch(() => false);
  clearTimeout(timer);
  if (!finished) {
    logger.warning('jobs still running at shutdown: stopping without waiting for them');
    await worker.close(true).catch(() => undefined);
  }
}

if (require.main === module) {
  const config = loadServiceConfig(jobserviceConfigSchema, configPathFromArgs(process.argv));
  const logger = createLogger(config.log);
  start(config, { logger })
    .then((service) => onShutdown(logger, service.stop))
    .catch((err: unknown) => {
      logger.error(`jobservice failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      setTimeout(() => process.exit(1), 50);
    });
}
