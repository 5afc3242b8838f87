import { Kysely, sql } from 'kysely';

/**
 * System settings changed through `PUT /api/v2.0/configurations` (written by
 * core): one row per Harbor configuration key that differs from harbor.cfg,
 * the value JSON-encoded (a string, number or boolean; secrets are encrypted
 * by core before they get here). A key without a row keeps harbor.cfg's value.
 *
 * Also gives every project a quota row: `/quotas/{id}` names quotas by this
 * row's id, and projects made before 0005 had none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('system_setting')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await sql`INSERT INTO quota (project_id, hard_storage)
            SELECT p.project_id, -1 FROM project p
             WHERE NOT EXISTS (SELECT 1 FROM quota q WHERE q.project_id = p.project_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('system_setting').ifExists().execute();
}
