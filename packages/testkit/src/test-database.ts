import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '@harbor/config';
import { connect, Db, migrateToLatest } from '@harbor/db';

/** The MariaDB the tests use: HARBOR_TEST_DB_* or the machine's local server. */
export function testDatabaseServer(): Omit<DatabaseConfig, 'database'> {
  return {
    host: process.env.HARBOR_TEST_DB_HOST ?? '127.0.0.1',
    port: Number(process.env.HARBOR_TEST_DB_PORT ?? 3306),
    user: process.env.HARBOR_TEST_DB_USER ?? 'root',
    password: process.env.HARBOR_TEST_DB_PASSWORD ?? '',
    maxConnections: 10,
  };
}

export interface TestDatabase {
  config: DatabaseConfig;
  db: Db;
  /** Drops the database and closes the pool. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file; real MariaDB, no mocks. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const server = testDatabaseServer();
  const name = `harbor_test_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const config: DatabaseConfig = { ...server, database: name };
  const db = connect(config);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    config,
    db,
    async drop() {
      await db.destroy();
      const conn = await createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
