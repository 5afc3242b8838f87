/**
 * Prepared queries on a real MariaDB: a statement is prepared once per
 * pooled connection and then only executed (the session's own counters say
 * so), answers are the rows Kysely would give, and anything that is not a
 * pool `connect` made (a transaction) still gets the same answer.
 */
import { createTestDatabase, TestDatabase } from '@harbor/testkit';
import { sql } from 'kysely';
import { connect, Db } from './connect';
import { preparedQuery } from './prepared-query';

const projectByName = preparedQuery<{ project_id: number; name: string; creation_time: Date }>(
  'SELECT project_id, name, creation_time FROM project WHERE name = ?',
);
const namesAfter = preparedQuery<{ name: string }>('SELECT name FROM project WHERE name > ? ORDER BY name LIMIT ?');

describe('prepared queries', () => {
  let t: TestDatabase;
  /** One connection, so the session counters are the pool's. */
  let single: Db;
  beforeAll(async () => {
    t = await createTestDatabase();
    single = connect({ ...t.config, maxConnections: 1 });
    await t.db.insertInto('project').values([{ name: 'alpha', owner_id: 1 }, { name: 'beta', owner_id: 1 }, { name: 'gamma', owner_id: 1 }]).execute();
  });
  afterAll(async () => {
    await single?.destroy();
    await t?.drop();
  });

  const sessionCounter = async (name: string) => {
    const { rows } = await sql<{ Value: string }>`SHOW SESSION STATUS LIKE ${name}`.execute(single);
    return Number(rows[0]!.Value);
  };

  it('prepares a statement once per connection and reuses it for every later run', async () => {
    const preparedBefore = await sessionCounter('Com_stmt_prepare');
    const executedBefore = await sessionCounter('Com_stmt_execute');
    for (const name of ['alpha', 'beta', 'nobody', 'gamma', 'alpha']) await projectByName.rows(single, [name]);
    expect((await sessionCounter('Com_stmt_prepare')) - preparedBefore).toBe(1);
    expect((await sessionCounter('Com_stmt_execute')) - executedBefore).toBe(5);
    await namesAfter.rows(single, ['a', 10]);
    expect((await sessionCounter('Com_stmt_prepare')) - preparedBefore).toBe(2);
  });

  it('answers the rows Kysely gives, with the same types', async () => {
    const viaKysely = await t.db.selectFrom('project').select(['project_id', 'name', 'creation_time']).where('name', '=', 'beta').executeTakeFirst();
    const prepared = await projectByName.first(t.db, ['beta']);
    expect(prepared).toEqual(viaKysely);
    expect(prepared!.creation_time).toBeInstanceOf(Date);
    expect(typeof prepared!.project_id).toBe('number');
    expect(await projectByName.first(t.db, ['nobody'])).toBeUndefined();
  });

  it('takes a LIMIT as a parameter', async () => {
    expect((await namesAfter.rows(t.db, ['alpha', 1])).map((r) => r.name)).toEqual(['beta']);
    const all = await t.db.selectFrom('project').select('name').orderBy('name').execute();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(await namesAfter.rows(t.db, ['', 2])).toEqual(all.slice(0, 2));
  });

  it('runs inside a transaction as an ordinary query on the transaction connection', async () => {
    await t.db.transaction().execute(async (trx) => {
      await trx.insertInto('project').values({ name: 'delta', owner_id: 1 }).execute();
      expect(await projectByName.first(trx, ['delta'])).toMatchObject({ name: 'delta' });
      expect(await projectByName.first(t.db, ['delta'])).toBeUndefined(); // not committed yet
    });
    expect(await projectByName.first(t.db, ['delta'])).toMatchObject({ name: 'delta' });
  });

  it('passes a database error on', async () => {
    const broken = preparedQuery('SELECT no_such_column FROM project WHERE name = ?');
    await expect(broken.rows(t.db, ['alpha'])).rejects.toThrow(/no_such_column/);
  });
});
