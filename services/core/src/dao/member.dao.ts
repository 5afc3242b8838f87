import type { Db } from '@harbor/db';
import { escapeLike } from './like';
import type { Page } from './user.dao';

export interface MemberRecord {
  id: number;
  projectId: number;
  entityId: number;
  entityType: 'u' | 'g';
  /** The user's (or later the group's) name; empty if the entity is gone. */
  entityName: string;
  roleId: number;
  roleName: string;
}

/** The `project_member` table (core writes it). Groups ('g') arrive with LDAP. */
export class MemberDao {
  constructor(private readonly db: Db) {}

  private base() {
    return this.db
      .selectFrom('project_member as m')
      .innerJoin('role as r', 'r.role_id', 'm.role')
      .leftJoin('harbor_user as u', (join) => join.onRef('u.user_id', '=', 'm.entity_id').on('m.entity_type', '=', 'u'));
  }

  private columns = ['m.id', 'm.project_id', 'm.entity_id', 'm.entity_type', 'u.username', 'm.role', 'r.name as role_name'] as const;

  async list(projectId: number, entityName: string | undefined, page: Page): Promise<{ total: number; members: MemberRecord[] }> {
    let query = this.base().where('m.project_id', '=', projectId);
    if (entityName !== undefined && entityName !== '') query = query.where('u.username', 'like', `%${escapeLike(entityName)}%`);
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.select(this.columns).orderBy('m.id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), members: rows.map(toRecord) };
  }

  /** A member of this project only: ids from another project are not found. */
  async findById(projectId: number, memberId: number): Promise<MemberRecord | undefined> {
    const row = await this.base().select(this.columns).where('m.project_id', '=', projectId).where('m.id', '=', memberId).executeTakeFirst();
    return row && toRecord(row);
  }

  async findUserMember(projectId: number, userId: number): Promise<MemberRecord | undefined> {
    const row = await this.base()
      .select(this.columns)
      .where('m.project_id', '=', projectId)
      .where('m.entity_type', '=', 'u')
      .where('m.entity_id', '=', userId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The roles a user holds in each of the given projects. */
  async rolesOfUser(userId: number, projectIds: number[]): Promise<Map<number, number[]>> {
    const roles = new Map<number, number[]>();
    if (projectIds.length === 0) return roles;
    const rows = await this.db
      .selectFrom('project_member')
      .select(['project_id', 'role'])
      .where('entity_type', '=', 'u')
      .where('entity_id', '=', userId)
      .where('project_id', 'in', projectIds)
      .execute();
    for (const row of rows) roles.set(row.project_id, [...(roles.get(row.project_id) ?? []), row.role]);
    return roles;
  }

  /** Adds a user member; a duplicate surfaces as the driver's duplicate-key error. */
  async addUser(projectId: number, userId: number, roleId: number): Promise<number> {
    const result = await this.db
      .insertInto('project_member')
      .values({ project_id: projectId, entity_id: userId, entity_type: 'u', role: roleId })
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  async updateRole(projectId: number, memberId: number, roleId: number): Promise<boolean> {
    const result = await this.db
      .updateTable('project_member')
      .set({ role: roleId, update_time: new Date() })
      .where('project_id', '=', projectId)
      .where('id', '=', memberId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(projectId: number, memberId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('project_member').where('project_id', '=', projectId).where('id', '=', memberId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

interface MemberRow {
  id: number;
  project_id: number;
  entity_id: number;
  entity_type: 'u' | 'g';
  username: string | null;
  role: number;
  role_name: string;
}

function toRecord(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    entityId: row.entity_id,
    entityType: row.entity_type,
    entityName: row.username ?? '',
    roleId: row.role,
    roleName: row.role_name,
  };
}
