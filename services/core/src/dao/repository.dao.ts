import type { Db } from '@harbor/db';
import { escapeLike } from './like';
import { ProjectVisibility, visibleProject } from './project.dao';
import type { Page } from './user.dao';

export interface RepositoryRecord {
  repositoryId: number;
  name: string;
  projectId: number;
  description: string;
  pullCount: number;
  artifactCount: number;
  creationTime: Date;
  updateTime: Date;
}

export type RepositorySortKey = 'name' | 'creation_time' | 'update_time' | 'pull_count';

export interface RepositoryFilter {
  /** One project, or the projects a caller may see. */
  scope: { kind: 'project'; projectId: number } | { kind: 'visible'; visibility: ProjectVisibility };
  name?: { value: string; fuzzy: boolean };
  projectId?: number;
  sort: Array<{ key: RepositorySortKey; descending: boolean }>;
}

/** Reads the registry's `repository` table (the registry is its only writer). */
export class RepositoryDao {
  constructor(private readonly db: Db) {}

  async findByName(name: string): Promise<RepositoryRecord | undefined> {
    const row = await this.base().where('r.name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(filter: RepositoryFilter, page: Page): Promise<{ total: number; items: RepositoryRecord[] }> {
    let query = this.db.selectFrom('repository as r');
    const scope = filter.scope;
    if (scope.kind === 'project') query = query.where('r.project_id', '=', scope.projectId);
    else if (scope.visibility.kind !== 'all') {
      // One definition of what a caller may see, shared with project listings (groups and robots included).
      const visibility = scope.visibility;
      query = query.where('r.project_id', 'in', (eb) =>
        eb.selectFrom('project as p').select('p.project_id').where((pe) => visibleProject(pe, visibility)),
      );
    }
    if (filter.name) {
      query = filter.name.fuzzy ? query.where('r.name', 'like', `%${escapeLike(filter.name.value)}%`) : query.where('r.name', '=', filter.name.value);
    }
    if (filter.projectId !== undefined) query = query.where('r.project_id', '=', filter.projectId);
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const ids = query.select('r.repository_id');
    let ordered = ids;
    const sort = filter.sort.length > 0 ? filter.sort : [{ key: 'creation_time' as const, descending: true }];
    for (const s of sort) ordered = ordered.orderBy(`r.${s.key}`, s.descending ? 'desc' : 'asc');
    const page_ = await ordered.orderBy('r.repository_id', 'desc').limit(page.limit).offset(page.offset).execute();
    const wanted = page_.map((r) => Number(r.repository_id));
    if (wanted.length === 0) return { total: Number(counted.total), items: [] };
    const rows = await this.base().where('r.repository_id', 'in', wanted).execute();
    const byId = new Map(rows.map((r) => [Number(r.repository_id), toRecord(r)]));
    return { total: Number(counted.total), items: wanted.map((id) => byId.get(id)).filter((r): r is RepositoryRecord => r !== undefined) };
  }

  private base() {
    return this.db
      .selectFrom('repository as r')
      .select([
        'r.repository_id',
        'r.name',
        'r.project_id',
        'r.description',
        'r.pull_count',
        'r.creation_time',
        'r.update_time',
        (eb) =>
          eb
            .selectFrom('manifest as m')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('m.repository_id', '=', 'r.repository_id')
            .where('m.subject_digest', 'is', null)
            .as('artifact_count'),
      ]);
  }
}

function toRecord(r: {
  repository_id: number;
  name: string;
  project_id: number;
  description: string;
  pull_count: number;
  creation_time: Date;
  update_time: Date;
  artifact_count: number | null;
}): RepositoryRecord {
  return {
    repositoryId: Number(r.repository_id),
    name: r.name,
    projectId: r.project_id,
    description: r.description,
    pullCount: Number(r.pull_count),
    artifactCount: Number(r.artifact_count ?? 0),
    creationTime: r.creation_time,
    updateTime: r.update_time,
  };
}
