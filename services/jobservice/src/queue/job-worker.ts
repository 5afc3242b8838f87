import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from '@harbor/logging';
import { PermanentJobError } from '../jobs/job-handler';
import type { JobRegistry } from '../jobs/job-registry';
import type { Redis } from './redis-connection';

export interface JobWorkerOptions {
  queueName: string;
  prefix: string;
  connection: Redis;
  concurrency: number;
  registry: JobRegistry;
  logger: Logger;
}

/**
 * Runs queued jobs through the registry. Ordinary errors are retried with
 * the job's backoff; permanent ones end the job at once. A job whose process
 * dies mid-run is found stalled by BullMQ and handed to another worker.
 */
export function createJobWorker(options: JobWorkerOptions): Worker {
  const { registry, logger } = options;
  const worker = new Worker(
    options.queueName,
    async (job: Job) => {
      try {
        return await registry.run(job.name, job.data, {
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          logger,
        });
      } catch (err) {
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  // Connection trouble is logged by the connection itself; without a
  // listener here an 'error' event would crash the process.
  worker.on('error', (err) => logger.debug(`worker: ${err.message}`));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    logger[final ? 'error' : 'warning'](
      `job ${job.name} ${job.id} ${final ? 'failed' : 'will be retried'} (attempt ${job.attemptsMade}): ${err.message}`,
    );
  });
  worker.on('completed', (job) => logger.info(`job ${job.name} ${job.id} succeeded`));
  return worker;
}
