import { createTestDatabase, TestDatabase } from '@harbor/testkit';
import { Role } from '../domain/role';
import { AuditLogDao } from './audit-log.dao';
import { RepositoryDao } from './repository.dao';

/**
 * Repositories and audit logs follow the same membership rule as projects:
 * a role held through an LDAP group counts like one held directly.
 */
describe('membership through LDAP groups in repository and audit listings', () => {
  let t: TestDatabase;
  const ids = { viaGroup: 0, direct: 0, stranger: 0, limited: 0, project: 0 };
  const page = { offset: 0, limit: 50 };

  beforeAll(async () => {
    t = await createTestDatabase();
    const user = async (username: string) =>
      Number((await t.db.insertInto('harbor_user').values({ username, email: null, realname: username, comment: '', password: 'x' }).executeTakeFirstOrThrow()).insertId);
    ids.viaGroup = await user('grouped');
    ids.direct = await user('direct');
    ids.stranger = await user('stranger');
    ids.limited = await user('limited');
    ids.project = Number((await t.db.insertInto('project').values({ owner_id: ids.direct, name: 'private1' }).executeTakeFirstOrThrow()).insertId);
    await t.db.insertInto('project_metadata').values({ project_id: ids.project, name: 'public', value: 'false' }).execute();
    const dn = 'cn=devs,ou=groups,dc=example,dc=test';
    const group = Number((await t.db.insertInto('user_group').values({ group_name: 'devs', group_type: 1, ldap_group_dn: dn }).executeTakeFirstOrThrow()).insertId);
    await t.db.insertInto('user_group_membership').values({ user_id: ids.viaGroup, ldap_group_dn: dn }).execute();
    await t.db
      .insertInto('project_member')
      .values([
        { project_id: ids.project, entity_id: group, entity_type: 'g', role: Role.developer },
        { project_id: ids.project, entity_id: ids.direct, entity_type: 'u', role: Role.developer },
        { project_id: ids.project, entity_id: ids.limited, entity_type: 'u', role: Role.limitedGuest },
      ])
      .execute();
    await t.db.insertInto('repository').values({ name: 'private1/app', project_id: ids.project, description: '' }).execute();
    await new AuditLogDao(t.db).insert([{ projectId: ids.project, operation: 'create', resourceType: 'artifact', resource: 'private1/app:1', username: 'direct' }]);
  });
  afterAll(async () => t.drop());

  const repositoriesSeenBy = async (userId: number) =>
    (await new RepositoryDao(t.db).list({ scope: { kind: 'visible', visibility: { kind: 'publicOrMemberOf', userId } }, sort: [] }, page)).items.map((r) => r.name);
  const logsSeenBy = async (userId: number) =>
    (await new AuditLogDao(t.db).list({ scope: { kind: 'memberOf', userId } }, page)).items.map((e) => e.resource);

  it('shows a private project repository to a member through a group, as to a direct member', async () => {
    expect(await repositoriesSeenBy(ids.viaGroup)).toEqual(['private1/app']);
    expect(await repositoriesSeenBy(ids.direct)).toEqual(['private1/app']);
  });

  it('hides it from a stranger', async () => {
    expect(await repositoriesSeenBy(ids.stranger)).toEqual([]);
  });

  it("shows the project's audit log to group and direct members, not to strangers or limited guests", async () => {
    expect(await logsSeenBy(ids.viaGroup)).toEqual(['private1/app:1']);
    expect(await logsSeenBy(ids.direct)).toEqual(['private1/app:1']);
    expect(await logsSeenBy(ids.stranger)).toEqual([]);
    expect(await logsSeenBy(ids.limited)).toEqual([]);
  });
});
