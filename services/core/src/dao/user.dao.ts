import type { Selectable } from 'kysely';
import type { Db, HarborUserTable } from '@harbor/db';
import type { UserRecord } from '../domain/user';
import { escapeLike } from './like';

export type { UserRecord };

/** What creating a user takes: a record without its times, the id only when it must be fixed (admin is 1). */
export type NewUser = Omit<UserRecord, 'userId' | 'creationTime' | 'updateTime'> & { userId?: number };

export interface UserFilter {
  username?: { value: string; fuzzy: boolean };
  email?: { value: string; fuzzy: boolean };
}

export type UserSortKey = 'user_id' | 'username' | 'email' | 'creation_time' | 'update_time';

export interface Page {
  offset: number;
  limit: number;
}

/** The `harbor_user` table (core is its only writer). */
export class UserDao {
  constructor(private readonly db: Db) {}

  async findById(userId: number): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('harbor_user').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('harbor_user').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('harbor_user').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Inserts a user; a duplicate username, email or id surfaces as the driver's duplicate-key error. */
  async insert(user: NewUser): Promise<number> {
    const result = await this.db
      .insertInto('harbor_user')
      .values({
        ...(user.userId !== undefined ? { user_id: user.userId } : {}),
        username: user.username,
        email: user.email,
        realname: user.realname,
        comment: user.comment,
        password: user.passwordHash,
        sysadmin_flag: user.sysadmin ? 1 : 0,
      })
      .executeTakeFirstOrThrow();
    return user.userId ?? Number(result.insertId);
  }

  async list(filter: UserFilter, sort: Array<{ key: UserSortKey; descending: boolean }>, page: Page): Promise<{ total: number; users: UserRecord[] }> {
    let query = this.db.selectFrom('harbor_user');
    if (filter.username) {
      query = filter.username.fuzzy
        ? query.where('username', 'like', `%${escapeLike(filter.username.value)}%`)
        : query.where('username', '=', filter.username.value);
    }
    if (filter.email) {
      query = filter.email.fuzzy
        ? query.where('email', 'like', `%${escapeLike(filter.email.value)}%`)
        : query.where('email', '=', filter.email.value);
    }
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    let rows = query.selectAll();
    for (const { key, descending } of sort) rows = rows.orderBy(key, descending ? 'desc' : 'asc');
    const users = await rows.orderBy('user_id', 'asc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), users: users.map(toRecord) };
  }

  async updateProfile(userId: number, profile: Pick<UserRecord, 'email' | 'realname' | 'comment'>): Promise<void> {
    await this.db
      .updateTable('harbor_user')
      .set({ ...profile, update_time: new Date() })
      .where('user_id', '=', userId)
      .execute();
  }

  async updatePassword(userId: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('harbor_user')
      .set({ password: passwordHash, update_time: new Date() })
      .where('user_id', '=', userId)
      .execute();
  }

  async updateSysadmin(userId: number, sysadmin: boolean): Promise<void> {
    await this.db
      .updateTable('harbor_user')
      .set({ sysadmin_flag: sysadmin ? 1 : 0, update_time: new Date() })
      .where('user_id', '=', userId)
      .execute();
  }

  /** Removes the user and their memberships together; true when the user existed. */
  async delete(userId: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('project_member').where('entity_type', '=', 'u').where('entity_id', '=', userId).execute();
      const result = await tx.deleteFrom('harbor_user').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}

function toRecord(row: Selectable<HarborUserTable>): UserRecord {
  return {
    userId: row.user_id,
    username: row.username,
    email: row.email,
    realname: row.realname,
    comment: row.comment,
    passwordHash: row.password,
    sysadmin: Boolean(row.sysadmin_flag),
    creationTime: row.creation_time,
    updateTime: row.update_time,
  };
}
