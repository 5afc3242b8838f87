import { createTestDatabase, TestDatabase } from '@harbor/testkit';
import { Migrator } from 'kysely';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => t.drop());

  it('applies every listed migration in order and seeds Harbor role ids', async () => {
    const applied = await migrateToLatest(t.db);
    expect(applied).toEqual(Object.keys(migrations).sort());
    expect(applied.slice(0, 2)).toEqual(['0001-identity', '0002-registry']);
    const roles = await t.db.selectFrom('role').select(['role_id', 'name']).orderBy('role_id').execute();
    expect(roles.map((r) => `${r.role_id}:${r.name}`)).toEqual([
      '1:projectAdmin', '2:developer', '3:guest', '4:maintainer', '5:limitedGuest',
    ]);
  });

  it('is a no-op the second time, even when run concurrently', async () => {
    const again = await Promise.all([migrateToLatest(t.db), migrateToLatest(t.db)]);
    expect(again).toEqual([[], []]);
  });
});

describe('0007-system-settings', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => t.drop());

  it('creates system_setting and gives projects made before quotas a quota row', async () => {
    const migrator = new Migrator({
      db: t.db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: 'schema_migration',
      migrationLockTableName: 'schema_migration_lock',
    });
    const upTo6 = await migrator.migrateTo('0006-audit-artifact-stats');
    expect(upTo6.error).toBeUndefined();
    await t.db.insertInto('harbor_user').values({ username: 'owner', email: null, realname: '', comment: '', password: 'x' }).execute();
    const owner = await t.db.selectFrom('harbor_user').select('user_id').where('username', '=', 'owner').executeTakeFirstOrThrow();
    await t.db.insertInto('project').values({ name: 'old', owner_id: owner.user_id }).execute();
    await t.db.insertInto('project').values({ name: 'limited', owner_id: owner.user_id }).execute();
    const limited = await t.db.selectFrom('project').select('project_id').where('name', '=', 'limited').executeTakeFirstOrThrow();
    await t.db.insertInto('quota').values({ project_id: limited.project_id, hard_storage: 1024 }).execute();

    expect(await migrateToLatest(t.db)).toContain('0007-system-settings');

    const quotas = await t.db
      .selectFrom('quota')
      .innerJoin('project', 'project.project_id', 'quota.project_id')
      .select(['project.name', 'quota.hard_storage'])
      .orderBy('project.name')
      .execute();
    expect(quotas.map((q) => `${q.name}:${Number(q.hard_storage)}`)).toEqual(['limited:1024', 'old:-1']);
    await t.db.insertInto('system_setting').values({ name: 'self_registration', value: 'true' }).execute();
    const rows = await t.db.selectFrom('system_setting').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.update_time).toBeInstanceOf(Date);
  });
});
