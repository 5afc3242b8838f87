import type { Selectable } from 'kysely';
import type { Db, UserGroupTable } from '@harbor/db';
import { escapeLike } from './like';
import type { Page } from './user.dao';

/** Harbor's group types; only LDAP groups exist here. */
export const ldapGroupType = 1;

export interface UserGroupRecord {
  id: number;
  groupName: string;
  groupType: number;
  /** Normalised (see normalizeDn). */
  ldapGroupDn: string;
  creationTime: Date;
  updateTime: Date;
}

export interface UserGroupFilter {
  /** Fuzzy, as `group_name` in Harbor's list. */
  groupName?: string;
  /** Exact, normalised. */
  ldapGroupDn?: string;
}

/**
 * The `user_group` and `user_group_membership` tables (core writes them).
 * Memberships are the LDAP group DNs a user was in at their last LDAP login;
 * a group's role in a project reaches its members through them.
 */
export class UserGroupDao {
  constructor(private readonly db: Db) {}

  async list(filter: UserGroupFilter, page: Page): Promise<{ total: number; groups: UserGroupRecord[] }> {
    let query = this.db.selectFrom('user_group');
    if (filter.groupName !== undefined && filter.groupName !== '') query = query.where('group_name', 'like', `%${escapeLike(filter.groupName)}%`);
    if (filter.ldapGroupDn !== undefined) query = query.where('ldap_group_dn', '=', filter.ldapGroupDn);
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), groups: rows.map(toRecord) };
  }

  async findById(id: number): Promise<UserGroupRecord | undefined> {
    const row = await this.db.selectFrom('user_group').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByDn(ldapGroupDn: string): Promise<UserGroupRecord | undefined> {
    const row = await this.db.selectFrom('user_group').selectAll().where('ldap_group_dn', '=', ldapGroupDn).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByName(groupName: string): Promise<UserGroupRecord[]> {
    const rows = await this.db.selectFrom('user_group').selectAll().where('group_name', '=', groupName).orderBy('id', 'asc').execute();
    return rows.map(toRecord);
  }

  /** A duplicate DN surfaces as the driver's duplicate-key error. */
  async insert(group: { groupName: string; groupType: number; ldapGroupDn: string }): Promise<number> {
    const result = await this.db
      .insertInto('user_group')
      .values({ group_name: group.groupName, group_type: group.groupType, ldap_group_dn: group.ldapGroupDn })
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  async rename(id: number, groupName: string): Promise<boolean> {
    const result = await this.db.updateTable('user_group').set({ group_name: groupName, update_time: new Date() }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Removes the group and its project memberships together. */
  async delete(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('project_member').where('entity_type', '=', 'g').where('entity_id', '=', id).execute();
      const result = await tx.deleteFrom('user_group').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Replaces the user's recorded LDAP group DNs with `dns` (normalised). */
  async recordMemberships(userId: number, dns: string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('user_group_membership').where('user_id', '=', userId).execute();
      if (dns.length > 0) {
        await tx
          .insertInto('user_group_membership')
          .values(dns.map((dn) => ({ user_id: userId, ldap_group_dn: dn })))
          .execute();
      }
    });
  }

  /** The registered groups the user was in at their last LDAP login. */
  async groupsOfUser(userId: number): Promise<UserGroupRecord[]> {
    const rows = await this.db
      .selectFrom('user_group as g')
      .innerJoin('user_group_membership as m', 'm.ldap_group_dn', 'g.ldap_group_dn')
      .selectAll('g')
      .where('m.user_id', '=', userId)
      .orderBy('g.id', 'asc')
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: Selectable<UserGroupTable>): UserGroupRecord {
  return {
    id: row.id,
    groupName: row.group_name,
    groupType: row.group_type,
    ldapGroupDn: row.ldap_group_dn,
    creationTime: row.creation_time,
    updateTime: row.update_time,
  };
}
