import { Db, preparedQuery, sql } from '@harbor/db';

const repositoryByName = preparedQuery<{ repository_id: number; project_id: number }>(
  'SELECT repository_id, project_id FROM repository WHERE name = ?',
);

export interface RepositoryRow {
  repositoryId: number;
  projectId: number;
}

export class RepositoryDao {
  constructor(private readonly db: Db) {}

  async findByName(name: string): Promise<RepositoryRow | undefined> {
    const row = await repositoryByName.first(this.db, [name]);
    return row && { repositoryId: Number(row.repository_id), projectId: row.project_id };
  }

  /**
   * Creates the row unless it exists and returns its id either way, in one
   * statement that two registry processes may run at the same time:
   * `LAST_INSERT_ID(id)` on the duplicate path hands back the existing id.
   */
  async create(name: string, projectId: number): Promise<number> {
    const result = await this.db
      .insertInto('repository')
      .values({ name, project_id: projectId, description: '' })
      .onDuplicateKeyUpdate({ repository_id: sql<number>`LAST_INSERT_ID(repository_id)` })
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /** Names after `last` in byte order, at most `limit`. */
  async listNames(last: string | undefined, limit: number): Promise<string[]> {
    let query = this.db.selectFrom('repository').select('name').orderBy('name').limit(limit);
    if (last !== undefined) query = query.where('name', '>', last);
    return (await query.execute()).map((r) => r.name);
  }

  async addPulls(name: string, count: number): Promise<void> {
    await this.db
      .updateTable('repository')
      .set({ pull_count: sql<number>`pull_count + ${count}` })
      .where('name', '=', name)
      .execute();
  }
}
