import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { createUserGroup, deleteUserGroup, listUserGroups, renameUserGroup } from './user-group.api';

/** The user-groups client against a stand-in `fetch`. */
describe('user groups API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('asks for one page filtered by group_name and reads the total', async () => {
    server.answer = jsonAnswer([{ id: 2, group_name: 'devs', group_type: 1, ldap_group_dn: 'cn=devs,dc=x' }], { total: 17 });
    const page = await listUserGroups({ page: 2, pageSize: 10, search: 'dev' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/usergroups');
    expect(url.searchParams.get('group_name')).toBe('dev');
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('page_size')).toBe('10');
    expect(page.total).toBe(17);
    expect(page.items[0]!.group_name).toBe('devs');
  });

  it('creates an LDAP group with its DN, and an HTTP group without one', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createUserGroup({ group_name: ' devs ', group_type: 1, ldap_group_dn: ' cn=devs,ou=groups,dc=x ' });
    expect(server.calls[0]!.init.method).toBe('POST');
    expect(server.calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ group_name: 'devs', group_type: 1, ldap_group_dn: 'cn=devs,ou=groups,dc=x' });
    await createUserGroup({ group_name: 'ops', group_type: 2, ldap_group_dn: 'cn=ignored' });
    expect(server.lastBody()).toEqual({ group_name: 'ops', group_type: 2 });
  });

  it('leaves the name out of an LDAP group when none is typed (the directory names it)', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createUserGroup({ group_name: '', group_type: 1, ldap_group_dn: 'cn=devs,dc=x' });
    expect(server.lastBody()).toEqual({ group_type: 1, ldap_group_dn: 'cn=devs,dc=x' });
  });

  it('renames with group_name only, and deletes by id', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await renameUserGroup(4, ' builders ');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/usergroups/4');
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.lastBody()).toEqual({ group_name: 'builders' });
    await deleteUserGroup(4);
    expect(server.calls[1]!.init.method).toBe('DELETE');
  });

  it('says why a group was refused, in the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'BAD_REQUEST', message: 'the LDAP group cn=x was not found in the directory' }] }, { status: 400 });
    const err = await createUserGroup({ group_name: '', group_type: 1, ldap_group_dn: 'cn=x' }).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('the LDAP group cn=x was not found in the directory');
  });
});
