import { AppError } from '@harbor/errors';
import type { Caller } from '../domain/caller';
import { intId } from '../domain/int-id';
import { storageLimitProblem } from '../domain/storage-limit';
import type { QuotaDao, QuotaRecord, QuotaSortKey } from '../dao/quota.dao';
import type { Page } from '../dao/user.dao';
import { requireSysadmin } from './guards';

export interface QuotaQuery {
  /** Harbor's `reference`: the kind of thing a quota is for; only `project` exists. */
  reference?: string;
  /** Harbor's `reference_id`: the project id, as text. */
  referenceId?: string;
}

/**
 * `/quotas`: per-project storage limits, as Harbor's system admins manage
 * them (project members see their project's quota in its summary). The
 * quota is the `quota` row of the project; its id is that row's id, and
 * `ref` names the project. Only the `storage` resource exists here.
 */
export class QuotaController {
  constructor(private readonly quotas: QuotaDao) {}

  async list(caller: Caller, query: QuotaQuery, sort: Array<{ key: QuotaSortKey; descending: boolean }>, page: Page): Promise<{ total: number; quotas: QuotaRecord[] }> {
    requireSysadmin(caller);
    const none = { total: 0, quotas: [] };
    if (query.reference !== undefined && query.reference !== '' && query.reference !== 'project') return none;
    if (query.referenceId === undefined || query.referenceId === '') return this.quotas.list({}, sort, page);
    const projectId = intId(query.referenceId);
    return projectId === null ? none : this.quotas.list({ projectId }, sort, page);
  }

  async get(caller: Caller, id: number | null): Promise<QuotaRecord> {
    requireSysadmin(caller);
    const quota = id === null ? undefined : await this.quotas.findById(id);
    if (!quota) throw new AppError('NOT_FOUND', `quota ${id ?? ''} not found`.trimEnd());
    return quota;
  }

  /** Harbor's QuotaUpdateReq: `hard` names the limits to set; `storage` in bytes, -1 for unlimited. */
  async update(caller: Caller, id: number | null, hard: Record<string, number>): Promise<void> {
    requireSysadmin(caller);
    const unknown = Object.keys(hard).find((name) => name !== 'storage');
    if (unknown !== undefined) throw new AppError('BAD_REQUEST', `hard.${unknown}: only the storage quota exists`);
    const storage = hard.storage;
    if (storage === undefined) throw new AppError('BAD_REQUEST', 'hard.storage is required');
    const problem = storageLimitProblem(storage, 'hard.storage');
    if (problem) throw new AppError('BAD_REQUEST', problem);
    if (id === null || !(await this.quotas.setHardStorage(id, storage))) throw new AppError('NOT_FOUND', `quota ${id ?? ''} not found`.trimEnd());
  }
}
