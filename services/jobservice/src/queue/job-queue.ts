import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { AppError } from '@harbor/errors';
import type { JobStats, JobView } from '@harbor/queue';
import type { Redis } from './redis-connection';
import { statusOf } from './job-status';
import { jobOptions, RetryPolicy } from './retry-policy';

/** Ids the queue may hand out: our UUIDs, and `repeat:<scheduler>:<millis>` for scheduled runs. */
const jobIdPattern = /^[A-Za-z0-9:_-]{1,200}$/;
const redisTimeoutMs = 5_000;

/**
 * The producer and reader side of the BullMQ queue, in the API's terms.
 * Every call fails fast with SERVICE_UNAVAILABLE when Redis is away instead
 * of holding the HTTP request open.
 */
export class JobQueue {
  constructor(
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly retry: RetryPolicy,
  ) {}

  async submit(name: string, parameters: unknown): Promise<JobView> {
    const id = randomUUID();
    await this.withRedis(() => this.queue.add(name, parameters, { ...jobOptions(this.retry), jobId: id }));
    return { id, name, status: 'pending' };
  }

  async find(id: string): Promise<JobView | undefined> {
    if (!jobIdPattern.test(id)) return undefined;
    return this.withRedis(async () => {
      // State first, then the job hash: BullMQ writes the final state and the
      // return value in one script, so a hash read after seeing `completed`
      // always carries the result (the other order races with completion).
      const status = statusOf(await this.queue.getJobState(id));
      if (!status) return undefined;
      const job = await Job.fromId(this.queue, id);
      if (!job) return undefined;
      const view: JobView = { id, name: job.name, status };
      if (status === 'success') view.result = job.returnvalue;
      if (status === 'error') view.error = job.failedReason || 'failed';
      return view;
    });
  }

  async stats(): Promise<JobStats> {
    const counts = await this.withRedis(() =>
      this.queue.getJobCounts('waiting', 'waiting-children', 'delayed', 'prioritized', 'paused', 'active', 'completed', 'failed'),
    );
    const sum = (...states: string[]) => states.reduce((total, state) => total + (counts[state] ?? 0), 0);
    return {
      pending: sum('waiting', 'waiting-children', 'delayed', 'prioritized', 'paused'),
      running: sum('active'),
      success: sum('completed'),
      error: sum('failed'),
    };
  }

  /** True when Redis answers a PING within `timeoutMs`. */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await withTimeout(this.redis.ping(), timeoutMs)) === 'PONG';
    } catch {
      return false;
    }
  }

  private async withRedis<T>(operation: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw unavailable();
    try {
      return await withTimeout(operation(), redisTimeoutMs);
    } catch (err) {
      throw unavailable(err);
    }
  }
}

function unavailable(cause?: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'job queue unavailable', undefined, { cause });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
