import { Db, preparedQuery } from '@harbor/db';
import { SameTickReads } from '../support/same-tick-reads';

/**
 * A tags/list page in one statement: the repository's row (so "no such
 * repository" and "no tags" are told apart) joined with its tags after
 * `last`, sorted and cut in SQL. An empty `last` lists from the start (tag
 * names are never empty, and the collation is binary).
 */
const tagPageByRepositoryName = preparedQuery<{ name: string | null }>(
  `SELECT t.name FROM repository r
   LEFT JOIN tag t ON t.repository_id = r.repository_id AND t.name > ?
   WHERE r.name = ? ORDER BY t.name LIMIT ?`,
);

export class TagDao {
  /** tags/list pages: identical ones of one loop turn share a round trip (never a result from before they were asked). */
  private readonly pages = new SameTickReads<Array<{ name: string | null }>>();

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

  /** Tag names of the named repository after `last`, at most `limit`; undefined when there is no such repository. */
  async listByRepositoryName(repositoryName: string, last: string | undefined, limit: number): Promise<string[] | undefined> {
    const params = [last ?? '', repositoryName, limit];
    const rows = await this.pages.read(JSON.stringify(params), () => tagPageByRepositoryName.rows(this.db, params));
    if (rows.length === 0) return undefined;
    return rows.flatMap((r) => (r.name === null ? [] : [r.name]));
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
