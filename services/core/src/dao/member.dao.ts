import type { Db } from '@harbor/db';
import { escapeLike } from './like';
import type { Page } from './user.dao';

export interface MemberRecord {
  id: number;
  projectId: number;
  entityId: number;
  entityType: 'u' | 'g';
  /** The user's or the group's name; empty if the entity is gone. */
  entityName: string;
  roleId: number;
  roleName: string;
}

/** The `project_member` table (core writes it): users ('u') and user groups ('g'). */
export class MemberDao {
  constructor(private readonly db: Db) {}

  private base() {
    return this.db
      .selectFrom('project_member as m')
      .innerJoin('role as r', 'r.role_id', 'm.role')
      .leftJoin('harbor_user as u', (join) => join.onRef('u.user_id', '=', 'm.entity_id').on('m.entity_type', '=', 'u'))
      .leftJoin('user_group as g', (join) => join.onRef('g.id', '=', 'm.entity_id').on('m.entity_type', '=', 'g'));
  }

  private columns = ['m.id', 'm.project_id', 'm.entity_id', 'm.entity_type', 'u.username', 'g.group_name', 'm.role', 'r.name as role_name'] as const;

  async list(projectId: number, entityName: string | undefined, page: Page): Promise<{ total: number; members: MemberRecord[] }> {
    let query = this.base().where('m.project_id', '=', projectId);
    if (entityName !== undefined && entityName !== '') {
      const pattern = `%${escapeLike(entityName)}%`;
      query = query.where((eb) => eb.or([eb('u.username', 'like', pattern), eb('g.group_name', 'like', pattern)]));
    }
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

  async findGroupMember(projectId: number, groupId: number): Promise<MemberRecord | undefined> {
    const row = await this.base()
      .select(this.columns)
      .where('m.project_id', '=', projectId)
      .where('m.entity_type', '=', 'g')
      .where('m.entity_id', '=', groupId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * The roles a user holds in each of the given projects: their own, and
   * those of the user groups they were in at their last LDAP login.
   */
  async rolesOfUser(userId: number, projectIds: number[]): Promise<Map<number, number[]>> {
    const roles = new Map<number, number[]>();
    if (projectIds.length === 0) return roles;
    const rows = await this.db
      .selectFrom('project_member')
      .select(['project_id', 'role'])
      .where('project_id', 'in', projectIds)
      .where((eb) =>
        eb.or([
          eb.and([eb('entity_type', '=', 'u'), eb('entity_id', '=', userId)]),
          eb.and([
            eb('entity_type', '=', 'g'),
            eb(
              'entity_id',
              'in',
              eb
                .selectFrom('user_group as ug')
                .innerJoin('user_group_membership as ugm', 'ugm.ldap_group_dn', 'ug.ldap_group_dn')
                .select('ug.id')
                .where('ugm.user_id', '=', userId),
            ),
          ]),
        ]),
      )
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

  /** Adds a group member; a duplicate surfaces as the driver's duplicate-key error. */
  async addGroup(projectId: number, groupId: number, roleId: number): Promise<number> {
    const result = await this.db
      .insertInto('project_member')
      .values({ project_id: projectId, entity_id: groupId, entity_type: 'g', role: roleId })
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
  group_name: string | null;
  role: number;
  role_name: string;
}

function toRecord(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    entityId: row.entity_id,
    entityType: row.entity_type,
    entityName: (row.entity_type === 'g' ? row.group_name : row.username) ?? '',
    roleId: row.role,
    roleName: row.role_name,
  };
}
