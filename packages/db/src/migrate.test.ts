import { createTestDatabase, TestDatabase } from '@harbor/testkit';
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
