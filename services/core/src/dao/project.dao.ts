import { sql, type Database, type Db } from '@harbor/db';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
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
  /** Bytes; -1 (the default) for no limit. */
  storageLimit?: number;
}

export type ProjectSortKey = 'name' | 'creation_time' | 'update_time' | 'project_id';

/** Which projects a listing may show. */
export type Visibility = { kind: 'all' } | { kind: 'public' } | { kind: 'publicOrMemberOf'; userId: number };

/** Visibility for project listings, search and statistics, which also serve robots: public ones plus those their permissions name. */
export type ProjectVisibility = Visibility | { kind: 'publicOrNamed'; projectIds: number[]; names: string[] };

export interface ProjectFilter {
  visibility: ProjectVisibility;
  name?: { value: string; fuzzy: boolean };
  public?: boolean;
  owner?: string;
  sort?: Array<{ key: ProjectSortKey; descending: boolean }>;
}

/**
 * The condition "project `p` is visible": the one definition every listing,
 * search and count uses, so none can show more than another.
 */
export function visibleProject(
  eb: ExpressionBuilder<Database & { p: Database['project'] }, 'p'>,
  visibility: ProjectVisibility,
): Expression<SqlBool> {
  if (visibility.kind === 'all') return sql<SqlBool>`1 = 1`;
  const isPublic = eb.exists(
    eb
      .selectFrom('project_metadata as vis_pm')
      .select('vis_pm.id')
      .whereRef('vis_pm.project_id', '=', 'p.project_id')
      .where('vis_pm.name', '=', 'public')
      .where('vis_pm.value', '=', 'true'),
  );
  if (visibility.kind === 'public') return isPublic;
  if (visibility.kind === 'publicOrNamed') {
    const named: Array<Expression<SqlBool>> = [isPublic];
    if (visibility.projectIds.length > 0) named.push(eb('p.project_id', 'in', visibility.projectIds));
    if (visibility.names.length > 0) named.push(eb('p.name', 'in', visibility.names));
    return eb.or(named);
  }
  return eb.or([isPublic, isMemberOf(eb, visibility.userId)]);
}

/**
 * The user holds a role in project `p`: their own membership, or one of the
 * LDAP groups they were in at their last directory login (as
 * MemberDao.rolesOfUser counts them). `excludeRole` leaves one role out
 * (audit logs are not for limited guests).
 */
export function isMemberOf(
  eb: ExpressionBuilder<Database & { p: Database['project'] }, 'p'>,
  userId: number,
  options: { excludeRole?: number } = {},
): Expression<SqlBool> {
  let members = eb
    .selectFrom('project_member as vis_m')
    .select('vis_m.id')
    .whereRef('vis_m.project_id', '=', 'p.project_id')
    .where((m) =>
      m.or([
        m.and([m('vis_m.entity_type', '=', 'u'), m('vis_m.entity_id', '=', userId)]),
        m.and([
          m('vis_m.entity_type', '=', 'g'),
          m(
            'vis_m.entity_id',
            'in',
            m
              .selectFrom('user_group as vis_ug')
              .innerJoin('user_group_membership as vis_ugm', 'vis_ugm.ldap_group_dn', 'vis_ug.ldap_group_dn')
              .select('vis_ug.id')
              .where('vis_ugm.user_id', '=', userId),
          ),
        ]),
      ]),
    );
  if (options.excludeRole !== undefined) members = members.where('vis_m.role', '<>', options.excludeRole);
  return eb.exists(members);
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
      await tx.insertInto('quota').values({ project_id: projectId, hard_storage: project.storageLimit ?? -1 }).execute();
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

  /** Sets metadata values (insert or replace) and touches the project's update time, in one transaction. */
  async updateMetadata(projectId: number, metadata: Record<string, string>): Promise<void> {
    const entries = Object.entries(metadata);
    await this.db.transaction().execute(async (tx) => {
      for (const [name, value] of entries) {
        await tx
          .insertInto('project_metadata')
          .values({ project_id: projectId, name, value })
          .onDuplicateKeyUpdate({ value })
          .execute();
      }
      await tx.updateTable('project').set({ update_time: new Date() }).where('project_id', '=', projectId).execute();
    });
  }

  /** Adds one metadata value; a name the project already has surfaces as a duplicate-key error and changes nothing. */
  async addMetadata(projectId: number, name: string, value: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('project_metadata').values({ project_id: projectId, name, value }).execute();
      await tx.updateTable('project').set({ update_time: new Date() }).where('project_id', '=', projectId).execute();
    });
  }

  /** Removes one metadata value; false when the project had none by that name. */
  async deleteMetadata(projectId: number, name: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const result = await tx.deleteFrom('project_metadata').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await tx.updateTable('project').set({ update_time: new Date() }).where('project_id', '=', projectId).execute();
      return true;
    });
  }

  /** The storage limit in bytes, -1 for none (projects made before quotas existed have none). */
  async storageLimit(projectId: number): Promise<number> {
    const row = await this.db.selectFrom('quota').select('hard_storage').where('project_id', '=', projectId).executeTakeFirst();
    return row ? Number(row.hard_storage) : -1;
  }

  async setStorageLimit(projectId: number, bytes: number): Promise<void> {
    await this.db
      .insertInto('quota')
      .values({ project_id: projectId, hard_storage: bytes })
      .onDuplicateKeyUpdate({ hard_storage: bytes, update_time: new Date() })
      .execute();
  }

  /** Members per role id (users and groups alike, as Harbor counts them). */
  async memberCountsByRole(projectId: number): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('project_member')
      .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
      .where('project_id', '=', projectId)
      .groupBy('role')
      .execute();
    return new Map(rows.map((r) => [r.role, Number(r.n)]));
  }

  async list(filter: ProjectFilter, page: Page): Promise<{ total: number; projects: ProjectRecord[] }> {
    let query = this.db
      .selectFrom('project as p')
      .leftJoin('harbor_user as u', 'u.user_id', 'p.owner_id')
      .leftJoin('project_metadata as pub', (join) => join.onRef('pub.project_id', '=', 'p.project_id').on('pub.name', '=', 'public'));
    const visibility = filter.visibility;
    query = query.where((eb) => visibleProject(eb as never, visibility));
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
      .$call((q) => {
        let ordered = q;
        for (const s of filter.sort ?? []) ordered = ordered.orderBy(`p.${s.key}`, s.descending ? 'desc' : 'asc');
        return ordered.orderBy('p.project_id', 'asc');
      })
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
