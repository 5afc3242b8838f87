import { AppError } from '@harbor/errors';
import type { Caller } from '../domain/caller';
import type { ProjectUsageDao } from '../dao/project-usage.dao';
import { visibilityOf } from './project.controller';

export interface Statistics {
  privateProjectCount: number;
  privateRepoCount: number;
  publicProjectCount: number;
  publicRepoCount: number;
  totalProjectCount: number;
  totalRepoCount: number;
  totalStorageConsumption: number;
}

/**
 * `/statistics`: counts over the projects the caller may see (all of them
 * for system admins), and the storage those projects use, summed per
 * project as quotas count it.
 */
export class StatisticsController {
  constructor(private readonly usage: ProjectUsageDao) {}

  async statistics(caller: Caller): Promise<Statistics> {
    if (caller.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
    const visibility = visibilityOf(caller);
    const [counts, ids] = await Promise.all([this.usage.counts(visibility), this.usage.visibleProjectIds(visibility)]);
    const used = await this.usage.storageUsed(ids);
    let storage = 0;
    for (const bytes of used.values()) storage += bytes;
    return {
      privateProjectCount: counts.privateProjects,
      privateRepoCount: counts.privateRepositories,
      publicProjectCount: counts.publicProjects,
      publicRepoCount: counts.publicRepositories,
      totalProjectCount: counts.privateProjects + counts.publicProjects,
      totalRepoCount: counts.privateRepositories + counts.publicRepositories,
      totalStorageConsumption: storage,
    };
  }
}
