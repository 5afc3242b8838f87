import type { JobDefinitions } from '@harbor/queue';
import type { Logger } from '@harbor/logging';
import type { Clock } from '../clock';
import type { RegistryClient } from '../registry/registry.client';
import type { JobHandlerFor } from './job-handler';

export interface PurgeUploadsDeps {
  registry: RegistryClient;
  clock: Clock;
  logger: Logger;
  /** `uploadPurge.maxAgeMinutes`: used when the job names no age of its own. */
  defaultMaxAgeMinutes: number;
}

/**
 * Abandoned uploads hold rows and bytes until someone drops them; the
 * registry knows how, the jobservice decides when.
 */
export function purgeUploadsJob(deps: PurgeUploadsDeps): JobHandlerFor<JobDefinitions['PURGE_UPLOADS']> {
  return async (parameters, context) => {
    const olderThanMinutes = parameters.olderThanMinutes ?? deps.defaultMaxAgeMinutes;
    const started = deps.clock.now().getTime();
    const { purged } = await deps.registry.purgeUploads(olderThanMinutes);
    deps.logger.info(`purged ${purged} upload(s) idle for over ${olderThanMinutes} min`, {
      jobId: context.jobId,
      attempt: context.attempt,
      ms: deps.clock.now().getTime() - started,
    });
    return { purged };
  };
}
