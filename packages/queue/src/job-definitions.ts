import { z } from 'zod';
import { purgeUploadsParametersSchema, purgeUploadsResultSchema } from './purge-uploads.job';

/** What a job accepts and what it records when it succeeds. */
export interface JobDefinition<P extends z.ZodTypeAny = z.ZodTypeAny, R extends z.ZodTypeAny = z.ZodTypeAny> {
  parameters: P;
  result: R;
}

/**
 * Every job the suite knows, by name. Adding a name here without a handler
 * in the jobservice stops the jobservice at startup, on purpose.
 */
export const jobDefinitions = {
  PURGE_UPLOADS: { parameters: purgeUploadsParametersSchema, result: purgeUploadsResultSchema },
} as const satisfies Record<string, JobDefinition>;

export type JobDefinitions = typeof jobDefinitions;
export type JobName = keyof JobDefinitions;
export type JobParameters<N extends JobName> = z.infer<JobDefinitions[N]['parameters']>;
export type JobResult<N extends JobName> = z.infer<JobDefinitions[N]['result']>;

export const jobNames = Object.keys(jobDefinitions) as JobName[];

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(jobDefinitions, value);
}
