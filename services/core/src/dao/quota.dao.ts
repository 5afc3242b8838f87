import { sql, type Db } from '@harbor/db';
import { ProjectUsageDao, storageUsedByProject } from './project-usage.dao';
import type { Page } from './user.dao';

/** A project's quota: its storage limit (core's `quota` row) and what the project uses now (the registry's tables). */
export interface QuotaRecord {
  id: number;
  projectId: number;
  projectName: string;
  /** Empty when the owner's account was removed. */
  ownerName: string;
  /** Bytes; -1 for unlimited. */
  hardStorage: number;
  usedStorage: number;
  creationTime: Date;
  updateTime: Date;
}

export interface QuotaFilter {
  projectId?: number;
}

export type QuotaSortKey = 'hard' | 'used';

/**
 * The `quota` table (core writes it; one row per project since 0007), with
 * usage computed from the registry's tables for the rows shown. Sorting by
 * usage computes it for every project, so it is the one costly listing.
 */
export class QuotaDao {
  constructor(private readonly db: Db) {}

  async findById(id: number): Promise<QuotaRecord | undefined> {
    const row = await this.base().where('q.id', '=', id).select(columns).executeTakeFirst();
    if (!row) return undefined;
    return (await this.withUsage([row]))[0];
  }

  async list(filter: QuotaFilter, sort: Array<{ key: QuotaSortKey; descending: boolean }>, page: Page): Promise<{ total: number; quotas: QuotaRecord[] }> {
    let query = this.base();
    if (filter.projectId !== undefined) query = query.where('q.project_id', '=', filter.projectId);
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    if (sort.some((s) => s.key === 'used')) {
      // The usage the order needs is the usage shown: computed once, in the query.
      let ordered = query
        .leftJoin(sql<{ project_id: number; used: string | number | null }>`(${storageUsedByProject()})`.as('su'), (join) => join.onRef('su.project_id', '=', 'q.project_id'))
        .select(columns)
        .select(sql<string | number>`COALESCE(su.used, 0)`.as('used'));
      for (const s of sort) ordered = ordered.orderBy(s.key === 'used' ? sql`COALESCE(su.used, 0)` : sql`q.hard_storage`, s.descending ? 'desc' : 'asc');
      const rows = await ordered.orderBy('q.id', 'asc').limit(page.limit).offset(page.offset).execute();
      return { total: Number(counted.total), quotas: rows.map((r) => recordOf(r, Number(r.used))) };
    }
    let ordered = query.select(columns);
    for (const s of sort) ordered = ordered.orderBy('q.hard_storage', s.descending ? 'desc' : 'asc');
    const rows = await ordered.orderBy('q.id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), quotas: await this.withUsage(rows) };
  }

  /** Sets the storage limit; false when there is no such quota. */
  async setHardStorage(id: number, bytes: number): Promise<boolean> {
    const result = await this.db.updateTable('quota').set({ hard_storage: bytes, update_time: new Date() }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private base() {
    return this.db
      .selectFrom('quota as q')
      .innerJoin('project as p', 'p.project_id', 'q.project_id')
      .leftJoin('harbor_user as u', 'u.user_id', 'p.owner_id');
  }

  private async withUsage(rows: QuotaRow[]): Promise<QuotaRecord[]> {
    const used = await new ProjectUsageDao(this.db).storageUsed(rows.map((r) => r.project_id));
    return rows.map((r) => recordOf(r, used.get(r.project_id) ?? 0));
  }
}

function recordOf(r: QuotaRow, usedStorage: number): QuotaRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.name,
    ownerName: r.owner_name ?? '',
    hardStorage: Number(r.hard_storage),
    usedStorage,
    creationTime: r.creation_time,
    updateTime: r.update_time,
  };
}

const columns = ['q.id', 'q.project_id', 'p.name', 'u.username as owner_name', 'q.hard_storage', 'q.creation_time', 'q.update_time'] as const;

interface QuotaRow {
  id: number;
  project_id: number;
  name: string;
  owner_name: string | null;
  hard_storage: number;
  creation_time: Date;
  update_time: Date;
}
