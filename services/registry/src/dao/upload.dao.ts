import { Db, sql } from '@harbor/db';

export interface UploadRow {
  uuid: string;
  repositoryName: string;
  size: number;
}

/** Upload sessions (`blob_upload`); times are set by the database clock so the purge compares like with like. */
export class UploadDao {
  constructor(private readonly db: Db) {}

  async create(uuid: string, repositoryName: string): Promise<void> {
    await this.db.insertInto('blob_upload').values({ uuid, repository_name: repositoryName, size: 0 }).execute();
  }

  async find(uuid: string): Promise<UploadRow | undefined> {
    const row = await this.db
      .selectFrom('blob_upload')
      .select(['uuid', 'repository_name', 'size'])
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row && { uuid: row.uuid, repositoryName: row.repository_name, size: Number(row.size) };
  }

  async setSize(uuid: string, size: number): Promise<void> {
    await this.db
      .updateTable('blob_upload')
      .set({ size, update_time: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('uuid', '=', uuid)
      .execute();
  }

  async delete(uuid: string): Promise<void> {
    await this.db.deleteFrom('blob_upload').where('uuid', '=', uuid).execute();
  }

  async exists(uuid: string): Promise<boolean> {
    return (await this.find(uuid)) !== undefined;
  }

  /** Sessions not touched for `minutes`. */
  async idleFor(minutes: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('blob_upload')
      .select('uuid')
      .where('update_time', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${minutes} MINUTE`)
      .execute();
    return rows.map((r) => r.uuid);
  }
}
