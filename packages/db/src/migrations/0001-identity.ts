import { Kysely, sql } from 'kysely';

/** Users, projects, members and roles (written by core). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('harbor_user')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('username', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(255)', (c) => c.unique())
    .addColumn('realname', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('comment', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('password', 'varchar(255)', (c) => c.notNull())
    .addColumn('sysadmin_flag', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();

  await db.schema
    .createTable('project')
    .addColumn('project_id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();

  await db.schema
    .createTable('project_metadata')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.project_id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('project_metadata_unique', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('role')
    .addColumn('role_id', 'integer', (c) => c.primaryKey())
    .addColumn('role_code', 'varchar(20)', (c) => c.notNull())
    .addColumn('name', 'varchar(20)', (c) => c.notNull().unique())
    .execute();
  // Harbor's role ids; the API and the permission matrix refer to them by number.
  await db
    .insertInto('role' as never)
    .values([
      { role_id: 1, role_code: 'MDRWS', name: 'projectAdmin' },
      { role_id: 2, role_code: 'RWS', name: 'developer' },
      { role_id: 3, role_code: 'RS', name: 'guest' },
      { role_id: 4, role_code: 'MRWS', name: 'maintainer' },
      { role_id: 5, role_code: 'R', name: 'limitedGuest' },
    ] as never)
    .execute();

  await db.schema
    .createTable('project_member')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.project_id').onDelete('cascade'))
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('entity_type', 'char(1)', (c) => c.notNull())
    .addColumn('role', 'integer', (c) => c.notNull().references('role.role_id'))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addUniqueConstraint('project_member_unique', ['project_id', 'entity_id', 'entity_type'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['project_member', 'role', 'project_metadata', 'project', 'harbor_user']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
