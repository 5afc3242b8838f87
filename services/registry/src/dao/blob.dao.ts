import { Db, sql } from '@harbor/db';

export interface BlobRow {
  digest: string;
  size: number;
}

/** The `blob` table (one row per digest) and `repository_blob` (which repository may see it). */
export class BlobDao {
  /** Set once `publish_blob` was found missing: publish takes the statement-by-statement way from then on. */
  private procedureMissing = false;

  /** `onProcedureMissing` is told once when that happens (the registry logs it). */
  constructor(
    private readonly db: Db,
    private readonly onProcedureMissing?: () => void,
  ) {}

  /**
   * Looks for `publish_blob` once at start, so a database restored without
   * its routines is reported when the registry starts, not at the first push
   * (publish would find out then anyway). Answers whether it is there.
   */
  async checkProcedure(): Promise<boolean> {
    const found = await sql<{ present: number }>`
      SELECT COUNT(*) AS present FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'publish_blob' AND ROUTINE_TYPE = 'PROCEDURE'`.execute(this.db);
    const present = Number(found.rows[0]?.present ?? 0) > 0;
    if (!present && !this.procedureMissing) {
      this.procedureMissing = true;
      this.onProcedureMissing?.();
    }
    return present;
  }

  /** The blob as the named repository sees it: only through its own link. */
  async findLinked(repositoryName: string, digest: string): Promise<BlobRow | undefined> {
    const row = await this.db
      .selectFrom('repository_blob as rb')
      .innerJoin('repository as r', 'r.repository_id', 'rb.repository_id')
      .innerJoin('blob as b', 'b.digest', 'rb.digest')
      .select(['b.digest', 'b.size'])
      .where('r.name', '=', repositoryName)
      .where('rb.digest', '=', digest)
      .executeTakeFirst();
    return row && { digest: row.digest, size: Number(row.size) };
  }

  /** Which of `digests` the repository links. */
  async linkedAmong(repositoryId: number, digests: string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('repository_blob')
      .select('digest')
      .where('repository_id', '=', repositoryId)
      .where('digest', 'in', digests)
      .execute();
    return new Set(rows.map((r) => r.digest));
  }

  /**
   * Makes a verified blob visible to a repository: the blob row (kept if
   * another repository stored the same bytes first) and the link, together,
   * and the finished upload session gone, all in one transaction.
   */
  async publish(repositoryId: number, blob: BlobRow, uploadUuid: string | null): Promise<void> {
    if (!this.procedureMissing) {
      try {
        // One round trip (migration 0008): the statements and the transaction run inside the database.
        await sql`CALL publish_blob(${repositoryId}, ${blob.digest}, ${blob.size}, ${uploadUuid})`.execute(this.db);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'ER_SP_DOES_NOT_EXIST') throw err;
        // A database restored from a dump made without its routines (mysqldump leaves them out unless
        // asked): pushes go on, one round trip per statement, until the registry restarts and migrates.
        this.procedureMissing = true;
        this.onProcedureMissing?.();
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('blob').values({ digest: blob.digest, size: blob.size, media_type: null }).onDuplicateKeyUpdate({ digest: blob.digest }).execute();
      await trx
        .insertInto('repository_blob')
        .values({ repository_id: repositoryId, digest: blob.digest })
        .onDuplicateKeyUpdate({ digest: blob.digest })
        .execute();
      if (uploadUuid) await trx.deleteFrom('blob_upload').where('uuid', '=', uploadUuid).execute();
    });
  }

  /** Links a blob the store already has (cross-repository mount). */
  async link(repositoryId: number, digest: string): Promise<void> {
    await this.db
      .insertInto('repository_blob')
      .values({ repository_id: repositoryId, digest })
      .onDuplicateKeyUpdate({ digest })
      .execute();
  }

  async unlink(repositoryName: string, digest: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('repository_blob')
      .where('digest', '=', digest)
      .where('repository_id', '=', (eb) => eb.selectFrom('repository').select('repository_id').where('name', '=', repositoryName))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
