import { Kysely, sql } from 'kysely';

/**
 * User groups (written by core). `user_group` is Harbor's table: a group has
 * a type (1 = LDAP) and, for LDAP groups, the group's DN, stored trimmed and
 * lower-cased so that the same DN spelled differently is one group.
 * `user_group_membership` is ours: the LDAP group DNs a user belonged to at
 * their last LDAP login, so group roles also hold for callers that do not
 * re-check the directory on every request (sessions, cached logins). It keys
 * on the DN, not the group id, so a group registered after the login counts too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_group')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('group_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('group_type', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('ldap_group_dn', 'varchar(512)', (c) => c.notNull())
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addUniqueConstraint('user_group_ldap_dn', ['ldap_group_dn'])
    .execute();

  await db.schema
    .createTable('user_group_membership')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('harbor_user.user_id').onDelete('cascade'))
    .addColumn('ldap_group_dn', 'varchar(512)', (c) => c.notNull())
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addPrimaryKeyConstraint('user_group_membership_pk', ['user_id', 'ldap_group_dn'])
    .execute();
  await db.schema.createIndex('user_group_membership_dn').on('user_group_membership').column('ldap_group_dn').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_group_membership').ifExists().execute();
  await db.schema.dropTable('user_group').ifExists().execute();
}
