import { addMember, changeMemberRole, listMembers, removeMember, roleIds, roleNameOf } from './member.api';
import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';

/** The project members API client against a stand-in `fetch`. */
describe('member API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('lists a page of members filtered by entityname, and reads the total', async () => {
    server.answer = jsonAnswer([{ id: 4, project_id: 3, entity_name: 'alice', role_name: 'developer', role_id: 2, entity_id: 8, entity_type: 'u' }], { total: 31 });
    const page = await listMembers(3, { page: 3, pageSize: 15, entityname: ' ali ' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/projects/3/members');
    expect(url.searchParams.get('page')).toBe('3');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('entityname')).toBe('ali');
    expect(page.total).toBe(31);
    expect(page.items[0]!.entity_name).toBe('alice');
  });

  it('leaves entityname out when there is no search', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listMembers(3, { page: 1, pageSize: 15, entityname: '' });
    expect(server.lastUrl().searchParams.has('entityname')).toBe(false);
  });

  it('adds a user by name and a group by id with Harbor’s ProjectMember, echoing CSRF', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await addMember(3, { roleId: roleIds.developer, user: { username: 'alice' } });
    expect(server.calls[0]!.init.method).toBe('POST');
    expect(server.calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ role_id: 2, member_user: { username: 'alice' } });
    await addMember(3, { roleId: roleIds.guest, group: { id: 5 } });
    expect(server.lastBody()).toEqual({ role_id: 3, member_group: { id: 5 } });
    await addMember(3, { roleId: roleIds.maintainer, group: { ldapGroupDn: 'cn=ops,dc=example,dc=org' } });
    expect(server.lastBody()).toEqual({ role_id: 4, member_group: { ldap_group_dn: 'cn=ops,dc=example,dc=org', group_type: 1 } });
  });

  it('says in words that the user is a member already', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'CONFLICT', message: 'user alice is already a member of project web' }] }, { status: 409 });
    const err = await addMember(3, { roleId: 2, user: { username: 'alice' } }).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('user alice is already a member of project web');
  });

  it('changes a role with PUT and removes with DELETE', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await changeMemberRole(3, 4, roleIds.guest);
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/3/members/4');
    expect(server.lastBody()).toEqual({ role_id: 3 });
    await removeMember(3, 4);
    expect(server.calls[1]!.init.method).toBe('DELETE');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/3/members/4');
  });

  it('names the roles by Harbor’s ids', () => {
    expect([1, 2, 3, 4, 5, 6].map(roleNameOf)).toEqual(['projectAdmin', 'developer', 'guest', 'maintainer', 'limitedGuest', undefined]);
  });
});
