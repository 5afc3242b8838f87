import type { Db } from '@harbor/db';

export class TagDao {
  constructor(private readonly db: Db) {}

  /** Tag names after `last` in byte order (the database collation is binary), at most `limit`. */
  async list(repositoryId: number, last: string | undefined, limit: number): Promise<string[]> {
    let query = this.db
      .selectFrom('tag')
      .select('name')
      .where('repository_id', '=', repositoryId)
      .orderBy('name')
      .limit(limit);
    if (last !== undefined) query = query.where('name', '>', last);
    return (await query.execute()).map((r) => r.name);
  }

  /** The digest the tag named before it was removed, or undefined when there was no such tag. */
  async delete(repositoryId: number, name: string): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('tag')
        .select('manifest_digest')
        .where('repository_id', '=', repositoryId)
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return undefined;
      await trx.deleteFrom('tag').where('repository_id', '=', repositoryId).where('name', '=', name).execute();
      return row.manifest_digest;
    });
  }
}
