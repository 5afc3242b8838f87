import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '@harbor/config';

/** Creates the database itself when the configured user may (install and tests use it). */
export async function ensureDatabase(config: DatabaseConfig): Promise<void> {
  const conn = await createConnection({ host: config.host, port: config.port, user: config.user, password: config.password });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await conn.end();
  }
}
