import type { JobState } from 'bullmq';
import type { JobStatus } from '@harbor/queue';

/**
 * BullMQ's states folded into the four the API promises. A job waiting out
 * its retry backoff is `delayed` in BullMQ and still `pending` here: it has
 * not failed for good yet.
 */
export function statusOf(state: JobState | 'unknown'): JobStatus | undefined {
  switch (state) {
    case 'waiting':
    case 'waiting-children':
    case 'delayed':
    case 'prioritized':
      return 'pending';
    case 'active':
      return 'running';
    case 'completed':
      return 'success';
    case 'failed':
      return 'error';
    default:
      return undefined;
  }
}
