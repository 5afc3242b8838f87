import { Kysely, sql } from 'kysely';

/**
 * `publish_blob`: the registry's last step of every blob push (the blob row,
 * the repository's link and the end of the upload session, in one
 * transaction) as one call. Through the client the same transaction took
 * five round trips (BEGIN, three statements, COMMIT), each costing both the
 * registry and the database a socket wake-up: most of a small blob push's
 * database time. SQL SECURITY INVOKER: it runs with the caller's rights, so
 * it keeps working when the user that created it is renamed or dropped.
 * An error rolls the transaction back and is raised to the caller as it was
 * (a link to a deleted repository still fails its foreign key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP PROCEDURE IF EXISTS publish_blob`.execute(db);
  await sql`
    CREATE PROCEDURE publish_blob(IN p_repository_id BIGINT, IN p_digest VARCHAR(255), IN p_size BIGINT, IN p_upload CHAR(36))
    SQL SECURITY INVOKER
    MODIFIES SQL DATA
    BEGIN
      DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        ROLLBACK;
        RESIGNAL;
      END;
      START TRANSACTION;
      INSERT INTO \`blob\` (digest, size, media_type) VALUES (p_digest, p_size, NULL)
        ON DUPLICATE KEY UPDATE digest = p_digest;
      INSERT INTO repository_blob (repository_id, digest) VALUES (p_repository_id, p_digest)
        ON DUPLICATE KEY UPDATE digest = p_digest;
      IF p_upload IS NOT NULL THEN
        DELETE FROM blob_upload WHERE uuid = p_upload;
      END IF;
      COMMIT;
    END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP PROCEDURE IF EXISTS publish_blob`.execute(db);
}
