import { z } from 'zod';

/**
 * The jobservice HTTP API's payloads (`POST /api/v1/jobs`,
 * `GET /api/v1/jobs/:id`), shared with its clients (core).
 */

/** The envelope only; `parameters` is checked against the named job's own schema. */
export const submitJobRequestSchema = z
  .object({
    name: z.string().min(1).max(100),
    parameters: z.unknown().optional(),
  })
  .strict();
export type SubmitJobRequest = z.infer<typeof submitJobRequestSchema>;

export const jobStatuses = ['pending', 'running', 'success', 'error'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface JobView {
  id: string;
  name: string;
  status: JobStatus;
  /** Present once the job succeeded. */
  result?: unknown;
  /** Present once the job failed for good (retries exhausted or not retryable). */
  error?: string;
}

export interface JobStats {
  pending: number;
  running: number;
  success: number;
  error: number;
}
