import type { Step, TourContext } from '../tour';

/**
 * The tour in ldap_auth against a real slapd: directory users log in with
 * Basic auth (created on first login), LDAP groups become user groups and
 * project members. `developer` is the directory user `ldapdev` (member of
 * the `developers` group), `nonMember` is `ldapout`.
 */
export interface LdapTourDirectory {
  groupDn(cn: string): string;
}

const project = (ctx: TourContext) => `ldap-tour-${ctx.suffix}`;
const groupId = (ctx: TourContext) => ctx.get<number>('group.id');

export function ldapSteps(directory: LdapTourDirectory): Step[] {
  return [
    { name: 'admin pings the configured directory', area: 'ldap', as: 'admin', method: 'POST', path: '/ldap/ping', body: {}, status: 200, then: (res) => expect(res.json<{ success: boolean }>().success).toBe(true) },
    {
      name: 'admin searches directory users',
      area: 'ldap',
      as: 'admin',
      method: 'GET',
      path: '/ldap/users/search?username=ldapdev',
      status: 200,
      then: (res) => expect(res.json<Array<{ username: string }>>().map((u) => u.username)).toEqual(['ldapdev']),
    },
    {
      name: 'admin searches directory groups',
      area: 'ldap',
      as: 'admin',
      method: 'GET',
      path: '/ldap/groups/search?groupname=developers',
      status: 200,
      then: (res) => expect(res.json<unknown[]>()).toHaveLength(1),
    },
    { name: 'admin imports a directory user', area: 'ldap', as: 'admin', method: 'POST', path: '/ldap/users/import', body: { ldap_uid_list: ['ldapout'] }, status: 200 },
    { name: 'importing someone the directory does not know', area: 'ldap', as: 'admin', method: 'POST', path: '/ldap/users/import', body: { ldap_uid_list: ['nobody-here'] }, status: 404 },
    { name: 'a directory user may not search the directory', area: 'ldap', as: 'nonMember', method: 'GET', path: '/ldap/users/search?username=ldapdev', status: 403 },
    { name: 'local users cannot be created in ldap_auth', area: 'users', as: 'admin', method: 'POST', path: '/users', body: { username: 'local1', password: 'Local-pass-1', email: 'l@example.test', realname: 'L' }, status: 403 },
    {
      name: 'a directory user logs in with Basic auth and is created',
      area: 'users',
      as: 'developer',
      method: 'GET',
      path: '/users/current',
      status: 200,
      then: (res) => expect(res.json<{ username: string; email: string }>()).toMatchObject({ username: 'ldapdev', email: 'ldapdev@example.test' }),
    },
    {
      name: 'admin makes the LDAP group a user group',
      area: 'usergroups',
      as: 'admin',
      method: 'POST',
      path: '/usergroups',
      body: () => ({ group_name: 'developers', group_type: 1, ldap_group_dn: directory.groupDn('developers') }),
      status: 201,
      then: (res, ctx) => ctx.set('group.id', Number(res.headers.get('location')!.split('/').pop())),
    },
    { name: 'the same group again is a conflict', area: 'usergroups', as: 'admin', method: 'POST', path: '/usergroups', body: () => ({ group_name: 'developers', group_type: 1, ldap_group_dn: directory.groupDn('developers') }), status: 409 },
    { name: 'admin gets the user group', area: 'usergroups', as: 'admin', method: 'GET', path: (ctx) => `/usergroups/${groupId(ctx)}`, status: 200 },
    { name: 'admin lists user groups', area: 'usergroups', as: 'admin', method: 'GET', path: '/usergroups?page_size=10', status: 200, then: (res) => expect(res.json<unknown[]>()).toHaveLength(1) },
    { name: 'a user searches user groups', area: 'usergroups', as: 'developer', method: 'GET', path: '/usergroups/search?groupname=dev', status: 200, then: (res) => expect(res.json<unknown[]>()).toHaveLength(1) },
    { name: 'admin renames the user group', area: 'usergroups', as: 'admin', method: 'PUT', path: (ctx) => `/usergroups/${groupId(ctx)}`, body: { group_name: 'devs' }, status: 200 },
    { name: 'admin creates a private project', area: 'projects', as: 'admin', method: 'POST', path: '/projects', body: (ctx) => ({ project_name: project(ctx), metadata: { public: 'false' } }), status: 201 },
    {
      name: 'admin makes the group developer of the project',
      area: 'members',
      as: 'admin',
      method: 'POST',
      path: (ctx) => `/projects/${project(ctx)}/members`,
      body: (ctx) => ({ role_id: 2, member_group: { id: groupId(ctx) } }),
      status: 201,
      then: (res, ctx) => ctx.set('group.member', Number(res.headers.get('location')!.split('/').pop())),
    },
    {
      name: 'the group shows among the members',
      area: 'members',
      as: 'admin',
      method: 'GET',
      path: (ctx) => `/projects/${project(ctx)}/members/${ctx.get<number>('group.member')}`,
      status: 200,
      then: (res) => expect(res.json<{ entity_type: string; role_id: number }>()).toMatchObject({ entity_type: 'g', role_id: 2 }),
    },
    {
      name: 'a member of the group sees the project as developer',
      area: 'permissions',
      as: 'developer',
      method: 'GET',
      path: (ctx) => `/projects/${project(ctx)}`,
      status: 200,
      then: (res) => expect(res.json<{ current_user_role_id: number }>().current_user_role_id).toBe(2),
    },
    { name: 'a directory user outside the group may not', area: 'permissions', as: 'nonMember', method: 'GET', path: (ctx) => `/projects/${project(ctx)}`, status: 403 },
    { name: 'admin removes the group from the project', area: 'members', as: 'admin', method: 'DELETE', path: (ctx) => `/projects/${project(ctx)}/members/${ctx.get<number>('group.member')}`, status: 200 },
    { name: 'admin deletes the user group', area: 'usergroups', as: 'admin', method: 'DELETE', path: (ctx) => `/usergroups/${groupId(ctx)}`, status: 200 },
    { name: 'the deleted user group is gone', area: 'usergroups', as: 'admin', method: 'GET', path: (ctx) => `/usergroups/${groupId(ctx)}`, status: 404 },
  ];
}
