import { createTestDatabase, TestDatabase } from '@harbor/testkit';
import { adminPassword, basic, Harness, startCore, testHasher } from './support/core-harness';

describe('core startup', () => {
  let database: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    // An empty, unmigrated database: start must migrate it.
    database = await createTestDatabase({ migrate: false });
    h = await startCore({ database });
  });
  afterAll(async () => {
    await h.close();
    await database.drop();
  });

  it('creates the admin user as user 1, a system admin, with the initial password', async () => {
    const admin = await database.db.selectFrom('harbor_user').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(admin.user_id).toBe(1);
    expect(Boolean(admin.sysadmin_flag)).toBe(true);
    expect(admin.password).toMatch(/^scrypt\$/);
    await expect(testHasher.verify(adminPassword, admin.password)).resolves.toBe(true);
  });

  it('creates the public project library owned by admin, with admin as its project admin', async () => {
    const library = await database.db.selectFrom('project').selectAll().where('name', '=', 'library').executeTakeFirstOrThrow();
    expect(library.owner_id).toBe(1);
    const metadata = await database.db.selectFrom('project_metadata').selectAll().where('project_id', '=', library.project_id).execute();
    expect(metadata.map((m) => [m.name, m.value])).toEqual([['public', 'true']]);
    const members = await database.db.selectFrom('project_member').selectAll().where('project_id', '=', library.project_id).execute();
    expect(members.map((m) => [m.entity_id, m.entity_type, m.role])).toEqual([[1, 'u', 1]]);
  });

  it('never overwrites an existing admin password, and does nothing twice across restarts and concurrent replicas', async () => {
    const changed = await h.http
      .put('/api/v2.0/users/1/password')
      .set('Authorization', basic('admin', adminPassword))
      .send({ old_password: adminPassword, new_password: 'N3wAdminPass' });
    expect(changed.status).toBe(200);

    const replicas = await Promise.all([
      h.startAnother({ adminInitialPassword: 'Other12345' }),
      h.startAnother({ adminInitialPassword: 'Other12345' }),
      h.startAnother({ adminInitialPassword: 'Other12345' }),
    ]);
    expect(replicas.every((r) => r.port > 0)).toBe(true);

    const admins = await database.db.selectFrom('harbor_user').select('user_id').where('username', '=', 'admin').execute();
    expect(admins).toHaveLength(1);
    const libraries = await database.db.selectFrom('project').select('project_id').where('name', '=', 'library').execute();
    expect(libraries).toHaveLength(1);
    const me = await h.http.get('/api/v2.0/users/current').set('Authorization', basic('admin', 'N3wAdminPass'));
    expect(me.status).toBe(200);
    const old = await h.http.get('/api/v2.0/users/current').set('Authorization', basic('admin', adminPassword));
    expect(old.status).toBe(401);
  });

  it('starts replicas concurrently on a brand-new database without duplicates', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const cores = await Promise.all([0, 1, 2].map(() => h.startAnother({ database: fresh.config })));
      expect(cores).toHaveLength(3);
      const admins = await fresh.db.selectFrom('harbor_user').selectAll().execute();
      expect(admins.map((a) => [a.user_id, a.username])).toEqual([[1, 'admin']]);
      const projects = await fresh.db.selectFrom('project').select('name').execute();
      expect(projects.map((p) => p.name)).toEqual(['library']);
      const members = await fresh.db.selectFrom('project_member').selectAll().execute();
      expect(members).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses to start when the database credentials are wrong', async () => {
    await expect(h.startAnother({ database: { ...database.config, password: 'definitely-wrong' } })).rejects.toThrow(/denied/i);
  });
});
