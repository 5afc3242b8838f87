import { Kysely, sql } from 'kysely';

/** Registry metadata (written by the registry only). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repository')
    .addColumn('repository_id', 'bigint', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.project_id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('pull_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema.createIndex('repository_project').on('repository').column('project_id').execute();

  await db.schema
    .createTable('blob')
    .addColumn('digest', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'varchar(255)')
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();

  await db.schema
    .createTable('repository_blob')
    .addColumn('repository_id', 'bigint', (c) => c.notNull().references('repository.repository_id').onDelete('cascade'))
    .addColumn('digest', 'varchar(255)', (c) => c.notNull().references('blob.digest'))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addPrimaryKeyConstraint('repository_blob_pk', ['repository_id', 'digest'])
    .execute();

  await db.schema
    .createTable('manifest')
    .addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement())
    .addColumn('repository_id', 'bigint', (c) => c.notNull().references('repository.repository_id').onDelete('cascade'))
    .addColumn('digest', 'varchar(255)', (c) => c.notNull())
    .addColumn('media_type', 'varchar(255)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content', sql`mediumblob`, (c) => c.notNull())
    .addColumn('subject_digest', 'varchar(255)')
    .addColumn('artifact_type', 'varchar(255)')
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addUniqueConstraint('manifest_repository_digest', ['repository_id', 'digest'])
    .execute();
  await db.schema.createIndex('manifest_subject').on('manifest').columns(['repository_id', 'subject_digest']).execute();

  await db.schema
    .createTable('manifest_reference')
    .addColumn('manifest_id', 'bigint', (c) => c.notNull().references('manifest.id').onDelete('cascade'))
    .addColumn('digest', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('manifest_reference_pk', ['manifest_id', 'digest'])
    .execute();
  await db.schema.createIndex('manifest_reference_digest').on('manifest_reference').column('digest').execute();

  await db.schema
    .createTable('tag')
    .addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement())
    .addColumn('repository_id', 'bigint', (c) => c.notNull().references('repository.repository_id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('manifest_digest', 'varchar(255)', (c) => c.notNull())
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addUniqueConstraint('tag_repository_name', ['repository_id', 'name'])
    .execute();

  await db.schema
    .createTable('blob_upload')
    .addColumn('uuid', 'char(36)', (c) => c.primaryKey())
    .addColumn('repository_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('creation_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .addColumn('update_time', sql`datetime(3)`, (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP(3)`))
    .execute();
  await db.schema.createIndex('blob_upload_updated').on('blob_upload').column('update_time').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['blob_upload', 'tag', 'manifest_reference', 'manifest', 'repository_blob', 'blob', 'repository']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
