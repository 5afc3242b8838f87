import type { Db } from '@harbor/db';
import { Role } from '../domain/role';
import { escapeLike } from './like';
import type { Page } from './user.dao';

export interface ProjectRecord {
  projectId: number;
  name: string;
  ownerId: number;
  /** Empty when the owner's account was removed. */
  ownerName: string;
  creationTime: Date;
  updateTime: Date;
  /** Harbor's string pairs: `public` = 'true' | 'false', and so on. */
  metadata: Record<string, string>;
}

export function isPublic(project: ProjectRecord): boolean {
  return project.metadata.public === 'true';
}

export interface NewProject {
  name: string;
  ownerId: number;
  metadata: Record<string, string>;
}

/** Which projects a listing may show. */
export type Visibility = { kind: 'all' } | { kind: 'public' } | { kind: 'publicOrMemberOf'; userId: number };

export interface ProjectFilter {
  visibility: Visibility;
  name?: { value: string; fuzzy: boolean };
  public?: boolean;
  owner?: string;
}

/** The `project` and `project_metadata` tables (core writes them); also reads repository counts. */
export class ProjectDao {
  constructor(private readonly db: Db) {}

  async findById(projectId: number): Promise<ProjectRecord | undefined> {
    return (await this.find('project_id', projectId))[0];
  }

  async findByName(name: string): Promise<ProjectRecord | undefined> {
    return (await this.find('name', name))[0];
  }

  async findByNames(names: string[]): Promise<ProjectRecord[]> {
    return names.length === 0 ? [] : this.find('name', names);
  }

  async exists(name: string): Promise<boolean> {
    const row = await this.db.selectFrom('project').select('project_id').where('name', '=', name).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Creates the project, its metadata and the owner's projectAdmin membership
   * in one transaction; a duplicate name surfaces as a duplicate-key error and
   * leaves nothing behind.
   */
  async create(project: NewProject): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('project')
        .values({ name: project.name, owner_id: project.ownerId })
        .executeTakeFirstOrThrow();
      const projectId = Number(inserted.insertId);
      const metadata = Object.entries(project.metadata).map(([name, value]) => ({ project_id: projectId, name, value }));
      if (metadata.length > 0) await tx.insertInto('project_metadata').values(metadata).execute();
      await tx
        .insertInto('project_member')
        .values({ project_id: projectId, entity_id: project.ownerId, entity_type: 'u', role: Role.projectAdmin })
        .execute();
      return projectId;
    });
  }

  /** Deletes a project (metadata and members go with it); a repository still referring to it fails the foreign key. */
  async delete(projectId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('project').where('project_id', '=', projectId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async repositoryCount(projectId: number): Promise<number> {
    const row = await this.db
      .selectFrom('repository')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async repositoryCounts(projectIds: number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (projectIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('repository')
      .select(['project_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('project_id', 'in', projectIds)
      .groupBy('project_id')
      .execute();
    for (const row of rows) counts.set(row.project_id, Number(row.n));
    return counts;
  }

  async list(filter: ProjectFilter, page: Page): Promise<{ total: number; projects: ProjectRecord[] }> {
    let query = this.db
      .selectFrom('project as p')
      .leftJoin('harbor_user as u', 'u.user_id', 'p.owner_id')
      .leftJoin('project_metadata as pub', (join) => join.onRef('pub.project_id', '=', 'p.project_id').on('pub.name', '=', 'public'));
    const visibility = filter.visibility;
    if (visibility.kind === 'public') query = query.where('pub.value', '=', 'true');
    if (visibility.kind === 'publicOrMemberOf') {
      query = query.where((eb) =>
        eb.or([
          eb('pub.value', '=', 'true'),
          eb.exists(
            eb
              .selectFrom('project_member as m')
              .select('m.id')
              .whereRef('m.project_id', '=', 'p.project_id')
              .where('m.entity_type', '=', 'u')
              .where('m.entity_id', '=', visibility.userId),
          ),
        ]),
      );
    }
    if (filter.name) {
      query = filter.name.fuzzy
        ? query.where('p.name', 'like', `%${escapeLike(filter.name.value)}%`)
        : query.where('p.name', '=', filter.name.value);
    }
    if (filter.public === true) query = query.where('pub.value', '=', 'true');
    if (filter.public === false) query = query.where((eb) => eb.or([eb('pub.value', 'is', null), eb('pub.value', '<>', 'true')]));
    if (filter.owner !== undefined) query = query.where('u.username', '=', filter.owner);

    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .select(['p.project_id', 'p.name', 'p.owner_id', 'u.username as owner_name', 'p.creation_time', 'p.update_time'])
      .orderBy('p.project_id', 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const metadata = await this.metadataOf(rows.map((r) => r.project_id));
    return {
      total: Number(counted.total),
      projects: rows.map((r) => toProjectRecord(r, metadata)),
    };
  }

  private async find(column: 'project_id' | 'name', value: number | string | string[]): Promise<ProjectRecord[]> {
    let query = this.db
      .selectFrom('project as p')
      .leftJoin('harbor_user as u', 'u.user_id', 'p.owner_id')
      .select(['p.project_id', 'p.name', 'p.owner_id', 'u.username as owner_name', 'p.creation_time', 'p.update_time']);
    query = Array.isArray(value)
      ? query.where(`p.${column}`, 'in', value)
      : query.where(`p.${column}`, '=', value);
    const rows = await query.execute();
    const metadata = await this.metadataOf(rows.map((r) => r.project_id));
    return rows.map((r) => toProjectRecord(r, metadata));
  }

  private async metadataOf(projectIds: number[]): Promise<Map<number, Record<string, string>>> {
    const byProject = new Map<number, Record<string, string>>();
    if (projectIds.length === 0) return byProject;
    const rows = await this.db
      .selectFrom('project_metadata')
      .select(['project_id', 'name', 'value'])
      .where('project_id', 'in', projectIds)
      .execute();
    for (const row of rows) {
      const entry = byProject.get(row.project_id) ?? {};
      entry[row.name] = row.value;
      byProject.set(row.project_id, entry);
    }
    return byProject;
  }
}

interface ProjectRow {
  project_id: number;
  name: string;
  owner_id: number;
  owner_name: string | null;
  creation_time: Date;
  update_time: Date;
}

function toProjectRecord(row: ProjectRow, metadata: Map<number, Record<string, string>>): ProjectRecord {
  return {
    projectId: row.project_id,
    name: row.name,
    ownerId: row.owner_id,
    ownerName: row.owner_name ?? '',
    creationTime: row.creation_time,
    updateTime: row.update_time,
    metadata: metadata.get(row.project_id) ?? {},
  };
}
