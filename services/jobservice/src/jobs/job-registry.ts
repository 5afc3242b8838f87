import type { JobDefinition } from '@harbor/queue';
import { AppError } from '@harbor/errors';
import { describeIssues } from '@harbor/config';
import { JobContext, JobHandlerMap, PermanentJobError } from './job-handler';

export interface JobRegistry {
  readonly names: readonly string[];
  has(name: string): boolean;
  /** Checks a caller's parameters against the job's schema; throws BAD_REQUEST naming the bad key. */
  parseParameters(name: string, raw: unknown): unknown;
  /** Runs the job's handler; stored parameters or results that do not fit are permanent failures. */
  run(name: string, raw: unknown, context: JobContext): Promise<unknown>;
}

/**
 * The map from job name to handler, checked once at startup (as immich does):
 * a job the suite declares without a handler, or a handler for a job nobody
 * declared, stops the service before it takes any work.
 */
export function createJobRegistry<Defs extends Record<string, JobDefinition>>(
  definitions: Defs,
  handlers: Partial<JobHandlerMap<Defs>>,
): JobRegistry {
  const names = Object.keys(definitions);
  const missing = names.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler registered for job(s): ${missing.join(', ')}`);
  const unknown = Object.keys(handlers).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`handler(s) registered for unknown job(s): ${unknown.join(', ')}`);

  const has = (name: string) => Object.prototype.hasOwnProperty.call(definitions, name);
  const definitionOf = (name: string): JobDefinition => {
    if (!has(name)) throw new AppError('BAD_REQUEST', `unknown job name: ${name.slice(0, 100)}`);
    return definitions[name];
  };

  return {
    names,
    has,
    parseParameters(name, raw) {
      const parsed = definitionOf(name).parameters.safeParse(raw ?? {});
      if (!parsed.success) throw new AppError('BAD_REQUEST', `invalid parameters for ${name}: ${describeIssues(parsed.error)}`);
      return parsed.data;
    },
    async run(name, raw, context) {
      if (!has(name)) throw new PermanentJobError(`unknown job name: ${name}`);
      const definition = definitions[name];
      const parameters = definition.parameters.safeParse(raw ?? {});
      if (!parameters.success) throw new PermanentJobError(`invalid stored parameters: ${describeIssues(parameters.error)}`);
      const handler = handlers[name] as (p: unknown, c: JobContext) => Promise<unknown>;
      const result = definition.result.safeParse(await handler(parameters.data, context));
      if (!result.success) throw new PermanentJobError(`handler returned an invalid result: ${describeIssues(result.error)}`);
      return result.data;
    },
  };
}
