import type { Db } from '@harbor/db';

/** The repository changes core asks for through the internal API (the registry stays their one writer). */
export class RepositoryAdminDao {
  constructor(private readonly db: Db) {}

  async updateDescription(name: string, description: string): Promise<boolean> {
    const result = await this.db
      .updateTable('repository')
      .set({ description, update_time: new Date() })
      .where('name', '=', name)
      .executeTakeFirst();
    // MySQL counts matched rows only when they change; an unchanged description still names an existing row.
    if (Number(result.numUpdatedRows) > 0) return true;
    return (await this.db.selectFrom('repository').select('repository_id').where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  /**
   * Removes the repository row; its manifests (with their references), tags
   * and blob links go with it by cascade. Blob bytes stay for garbage
   * collection, as Distribution leaves them.
   */
  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('repository').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
