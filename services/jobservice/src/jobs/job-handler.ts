import type { z } from 'zod';
import type { JobDefinition } from '@harbor/queue';
import type { Logger } from '@harbor/logging';

/** What the runner tells a handler about the run it is in. */
export interface JobContext {
  jobId: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  logger: Logger;
}

/**
 * A handler gets its parameters already validated and returns the result the
 * job records. Its side effects (HTTP clients, clock, logger) were handed to
 * the factory that built it, never reached for globally.
 */
export type JobHandlerFor<D extends JobDefinition> = (
  parameters: z.infer<D['parameters']>,
  context: JobContext,
) => Promise<z.infer<D['result']>>;

export type JobHandlerMap<Defs extends Record<string, JobDefinition>> = {
  [N in keyof Defs]: JobHandlerFor<Defs[N]>;
};

/**
 * Raised for failures that retrying cannot fix (bad stored parameters, a
 * handler returning the wrong shape); the worker fails such a job at once.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
