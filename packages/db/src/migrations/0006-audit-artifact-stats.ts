import { Kysely, sql } from 'kysely';

/**
 * Core's own records of what happens to the registry's content: the audit log
 * (Harbor's `audit_log`) and the per-artifact push/pull statistics core keeps
 * from registry events, since the registry's tables hold only what was pushed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement())
    // No foreign key: entries outlive the project they are about (a project delete is itself logged).
    .addColumn('project_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('operation', 'varchar(32)', (c) => c.notNull())
    .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('resource', 'varchar(1024)', (c) => c.notNull())
    .addColumn('username', 'varchar(255)', (c) => c.notNull())
    .addColumn('op_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema.createIndex('audit_log_op_time').on('audit_log').column('op_time').execute();
  await db.schema.createIndex('audit_log_project_op_time').on('audit_log').columns(['project_id', 'op_time']).execute();

  await db.schema
    .createTable('artifact_stat')
    .addColumn('repository_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('digest', 'varchar(255)', (c) => c.notNull())
    .addColumn('push_time', sql`datetime(3)`)
    .addColumn('pull_time', sql`datetime(3)`)
    .addColumn('pull_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('artifact_stat_pk', ['repository_name', 'digest'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('artifact_stat').ifExists().execute();
  await db.schema.dropTable('audit_log').ifExists().execute();
}
