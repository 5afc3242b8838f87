import { Db, sql } from '@harbor/db';
import type { RawBuilder } from 'kysely';
import { escapeLike } from './like';
import { visibleProject, type ProjectVisibility } from './project.dao';

/** A repository as `/search` shows it. */
export interface RepositoryHit {
  projectId: number;
  projectName: string;
  projectPublic: boolean;
  name: string;
  pullCount: number;
  artifactCount: number;
}

export interface ProjectCounts {
  publicProjects: number;
  privateProjects: number;
  publicRepositories: number;
  privateRepositories: number;
}

/**
 * `(project_id, used)` for the given projects, or for every project with
 * content when no ids are given: every distinct blob and manifest a
 * project's repositories refer to, counted once per project even when
 * several of its repositories share it (Harbor's quota usage). A query of
 * its own, or a derived table to join (quota listings sorted by usage).
 */
export function storageUsedByProject(projectIds?: number[]): RawBuilder<{ project_id: number; used: string | number | null }> {
  const only = projectIds === undefined ? sql`` : sql`WHERE r.project_id IN (${sql.join(projectIds.map((id) => sql`${id}`))})`;
  return sql<{ project_id: number; used: string | number | null }>`
    SELECT u.project_id, SUM(u.size) AS used FROM (
      SELECT r.project_id, b.digest, b.size
        FROM repository_blob rb
        JOIN repository r ON r.repository_id = rb.repository_id
        JOIN ${sql.table('blob')} b ON b.digest = rb.digest
       ${only}
      UNION
      SELECT r.project_id, m.digest, m.size
        FROM manifest m
        JOIN repository r ON r.repository_id = m.repository_id
       ${only}
    ) u
    GROUP BY u.project_id`;
}

/**
 * What the registry holds, per project: repository counts, storage used,
 * repository search. Reads the registry's tables only (the registry is their
 * one writer) and always through the same visibility rule as project listings.
 */
export class ProjectUsageDao {
  constructor(private readonly db: Db) {}

  /**
   * Bytes stored for each project: every distinct blob and manifest its
   * repositories refer to, counted once per project even when several of its
   * repositories share it (Harbor's quota usage).
   */
  async storageUsed(projectIds: number[]): Promise<Map<number, number>> {
    const used = new Map<number, number>();
    if (projectIds.length === 0) return used;
    const result = await storageUsedByProject(projectIds).execute(this.db);
    for (const row of result.rows) used.set(Number(row.project_id), Number(row.used ?? 0));
    return used;
  }

  /** Repositories whose name contains `term`, in projects the caller may see, by name. */
  async searchRepositories(term: string, visibility: ProjectVisibility, limit: number): Promise<RepositoryHit[]> {
    const rows = await this.db
      .selectFrom('repository as r')
      .innerJoin('project as p', 'p.project_id', 'r.project_id')
      .leftJoin('project_metadata as pub', (join) => join.onRef('pub.project_id', '=', 'p.project_id').on('pub.name', '=', 'public'))
      .where((eb) => visibleProject(eb as never, visibility))
      .where('r.name', 'like', `%${escapeLike(term)}%`)
      .select([
        'p.project_id',
        'p.name as project_name',
        'pub.value as public_value',
        'r.name',
        'r.pull_count',
        (eb) =>
          eb
            .selectFrom('manifest as m')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('m.repository_id', '=', 'r.repository_id')
            .where('m.subject_digest', 'is', null)
            .as('artifact_count'),
      ])
      .orderBy('r.name', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      projectId: r.project_id,
      projectName: r.project_name,
      projectPublic: r.public_value === 'true',
      name: r.name,
      pullCount: Number(r.pull_count),
      artifactCount: Number(r.artifact_count ?? 0),
    }));
  }

  /** Public and private project and repository counts over the projects the caller may see. */
  async counts(visibility: ProjectVisibility): Promise<ProjectCounts> {
    const isPublic = sql<number>`CASE WHEN pub.value = 'true' THEN 1 ELSE 0 END`;
    const projects = await this.db
      .selectFrom('project as p')
      .leftJoin('project_metadata as pub', (join) => join.onRef('pub.project_id', '=', 'p.project_id').on('pub.name', '=', 'public'))
      .where((eb) => visibleProject(eb as never, visibility))
      .select([isPublic.as('is_public'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('is_public')
      .execute();
    const repositories = await this.db
      .selectFrom('repository as r')
      .innerJoin('project as p', 'p.project_id', 'r.project_id')
      .leftJoin('project_metadata as pub', (join) => join.onRef('pub.project_id', '=', 'p.project_id').on('pub.name', '=', 'public'))
      .where((eb) => visibleProject(eb as never, visibility))
      .select([isPublic.as('is_public'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('is_public')
      .execute();
    const pick = (rows: Array<{ is_public: number; n: number }>, wanted: number) => Number(rows.find((r) => Number(r.is_public) === wanted)?.n ?? 0);
    return {
      publicProjects: pick(projects, 1),
      privateProjects: pick(projects, 0),
      publicRepositories: pick(repositories, 1),
      privateRepositories: pick(repositories, 0),
    };
  }

  /** Ids of every project the caller may see (for totals). */
  async visibleProjectIds(visibility: ProjectVisibility): Promise<number[]> {
    const rows = await this.db
      .selectFrom('project as p')
      .where((eb) => visibleProject(eb as never, visibility))
      .select('p.project_id')
      .execute();
    return rows.map((r) => r.project_id);
  }
}
