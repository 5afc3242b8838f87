import { Kysely, sql } from 'kysely';

/**
 * Robot accounts (written by core). A robot is system-level (project_id 0) or
 * belongs to one project; its name is stored bare and rendered as
 * `robot$<name>` or `robot$<project>+<name>`, so a project deleted and
 * created again under the same name never inherits the old robots.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('robot')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('description', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('secret', 'varchar(255)', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('level', 'varchar(20)', (c) => c.notNull())
    .addColumn('duration', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('creator_type', 'varchar(20)', (c) => c.notNull().defaultTo('local'))
    .addColumn('creator_ref', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addUniqueConstraint('robot_name_project', ['name', 'project_id'])
    .execute();
  await db.schema.createIndex('robot_project').on('robot').column('project_id').execute();

  // One row per access entry; the API groups them back by (kind, namespace).
  await db.schema
    .createTable('robot_permission')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('robot_id', 'integer', (c) => c.notNull().references('robot.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('namespace', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('effect', 'varchar(16)', (c) => c.notNull().defaultTo('allow'))
    .execute();
  await db.schema.createIndex('robot_permission_robot').on('robot_permission').column('robot_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['robot_permission', 'robot']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
