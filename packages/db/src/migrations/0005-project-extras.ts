import { Kysely, sql } from 'kysely';

/** Project quotas (written by core): the storage limit a project was given, -1 for none. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('quota')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().unique().references('project.project_id').onDelete('cascade'))
    .addColumn('hard_storage', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('quota').execute();
}
