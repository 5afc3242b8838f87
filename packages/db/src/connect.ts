import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { DatabaseConfig } from '@harbor/config';
import { registerPool } from './prepared-query';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/**
 * A bounded pool: every process holds at most `maxConnections`, so scaling
 * out replicas cannot open an unbounded storm of connections. Times are UTC,
 * and BIGINT sizes come back as numbers (they stay below 2^53).
 */
export function connect(config: DatabaseConfig): Db {
  const pool = createPool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionLimit: config.maxConnections,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    charset: 'utf8mb4',
    enableKeepAlive: true,
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  registerPool(db, pool);
  return db;
}
