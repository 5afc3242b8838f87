import type { Queue } from 'bullmq';
import type { Logger } from '@harbor/logging';
import { jobOptions, RetryPolicy } from './retry-policy';

export interface Schedule {
  /** Stable id: upserting it again (restart, second replica) updates the one scheduler in Redis. */
  id: string;
  jobName: string;
  everyMs: number;
  parameters: unknown;
}

/**
 * Upserts the repeatable jobs, retrying in the background until Redis
 * answers, so a jobservice started before Redis still ends up scheduling.
 * Resolves once done or once `signal` aborts.
 */
export async function ensureSchedules(
  queue: Queue,
  schedules: Schedule[],
  retry: RetryPolicy,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  let delayMs = 500;
  while (!signal.aborted) {
    try {
      for (const schedule of schedules) {
        await queue.upsertJobScheduler(
          schedule.id,
          { every: schedule.everyMs },
          { name: schedule.jobName, data: schedule.parameters, opts: jobOptions(retry) },
        );
        logger.info(`scheduled ${schedule.jobName} every ${Math.round(schedule.everyMs / 60_000)} min`);
      }
      return;
    } catch (err) {
      if (signal.aborted) return;
      logger.warning(`cannot schedule jobs yet, retrying in ${delayMs} ms: ${(err as Error).message}`);
      await sleep(delayMs, signal);
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
