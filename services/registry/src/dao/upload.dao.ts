import { Db, preparedQuery, sql } from '@harbor/db';

export interface UploadRow {
  uuid: string;
  repositoryName: string;
  size: number;
  /** Touched within the last `freshSeconds`: a write need not refresh it to stay clear of the purge. */
  fresh: boolean;
  /** The id of the repository the upload goes to, when that repository exists already. */
  repositoryId: number | null;
}

/** How recently a session must have been touched to count as fresh. */
export const freshSeconds = 30;

/** Every PATCH and PUT reads its session: a prepared statement (parsed once per connection, binary protocol). */
const sessionByUuid = preparedQuery<{
  uuid: string;
  repository_name: string;
  size: number | string;
  repository_id: number | null;
  fresh: number;
}>(
  `SELECT bu.uuid, bu.repository_name, bu.size, r.repository_id,
     bu.update_time > CURRENT_TIMESTAMP(3) - INTERVAL ${freshSeconds} SECOND AS fresh
   FROM blob_upload bu LEFT JOIN repository r ON r.name = bu.repository_name
   WHERE bu.uuid = ?`,
);

/** Upload sessions (`blob_upload`); times are set by the database clock so the purge compares like with like. */
export class UploadDao {
  constructor(private readonly db: Db) {}

  /**
   * Creates the session only when the project exists, in one statement (one
   * round trip instead of a SELECT and an INSERT). False when it does not.
   */
  async createInProject(uuid: string, repositoryName: string, projectName: string): Promise<boolean> {
    const result = await this.db
      .insertInto('blob_upload')
      .columns(['uuid', 'repository_name', 'size'])
      .expression((eb) =>
        eb
          .selectFrom('project')
          .select([sql.val(uuid).as('uuid'), sql.val(repositoryName).as('repository_name'), sql.val(0).as('size')])
          .where('name', '=', projectName),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The session, with its repository's id when there is one (saves the final PUT a lookup of its own). */
  async find(uuid: string): Promise<UploadRow | undefined> {
    const row = await sessionByUuid.first(this.db, [uuid]);
    return (
      row && {
        uuid: row.uuid,
        repositoryName: row.repository_name,
        size: Number(row.size),
        fresh: Number(row.fresh) === 1,
        repositoryId: row.repository_id === null ? null : Number(row.repository_id),
      }
    );
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
