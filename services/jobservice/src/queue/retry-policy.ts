import type { JobsOptions } from 'bullmq';

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** First backoff; it doubles with each retry. */
  backoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, backoffMs: 10_000 };

/**
 * Options every job is added with. Finished jobs are kept for a while so
 * their status can be read back, then dropped so Redis does not grow forever.
 */
export function jobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
  };
}
