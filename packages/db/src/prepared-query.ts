import { CompiledQuery } from 'kysely';
import type { Pool, RowDataPacket } from 'mysql2';
import type { Db } from './connect';

/** A value a prepared statement's placeholder can take. */
export type PreparedParam = string | number | Buffer | null;

/** The pools behind the Kysely instances `connect` made (Kysely does not expose its pool). */
const pools = new WeakMap<object, Pool>();

/** Called by `connect` so prepared queries can reach the pool of that Kysely instance. */
export function registerPool(db: Db, pool: Pool): void {
  pools.set(db, pool);
}

/**
 * A read on a hot path, as a server-side prepared statement (mysql2
 * `execute`): MariaDB parses and plans it once per pooled connection, and
 * every later run sends only the parameters, in the binary protocol. mysql2
 * keeps the statements per connection, keyed by their text — which is why a
 * prepared query is made once, at module level, from fixed SQL: text built
 * per request would prepare (and hold on the server) a statement per variant.
 *
 * Only for plain reads outside transactions. Run on something other than a
 * pool `connect` made (a transaction, a test's own Kysely), it goes through
 * Kysely as an ordinary query with the same SQL and parameters.
 */
export class PreparedQuery<Row> {
  constructor(readonly sql: string) {}

  async rows(db: Db, params: readonly PreparedParam[]): Promise<Row[]> {
    const pool = pools.get(db);
    if (!pool) {
      const result = await db.executeQuery<Row>(CompiledQuery.raw(this.sql, [...params]));
      return [...result.rows];
    }
    return new Promise<Row[]>((resolve, reject) => {
      pool.execute<RowDataPacket[]>(this.sql, params as PreparedParam[], (err, rows) => (err ? reject(err) : resolve(rows as Row[])));
    });
  }

  async first(db: Db, params: readonly PreparedParam[]): Promise<Row | undefined> {
    return (await this.rows(db, params))[0];
  }
}

/** `const byName = preparedQuery<{ id: number }>('SELECT id FROM t WHERE name = ?')`, at module level. */
export function preparedQuery<Row>(sql: string): PreparedQuery<Row> {
  return new PreparedQuery<Row>(sql);
}
