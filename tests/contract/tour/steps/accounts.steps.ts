import type { Step, TourContext } from '../tour';
import { privateProject } from './projects.steps';

const robotId = (ctx: TourContext) => ctx.get<number>('robot.id');
const pullOnly = (ctx: TourContext) => [{ kind: 'project', namespace: privateProject(ctx), access: [{ resource: 'repository', action: 'pull' }] }];

/** `/robots`: a project robot made, listed, read, changed, given a new secret and removed; a system robot too. */
export const robotSteps: Step[] = [
  {
    name: 'the project admin creates a pull-only project robot',
    area: 'robots',
    as: 'projectAdmin',
    method: 'POST',
    path: '/robots',
    body: (ctx) => ({ name: `puller${ctx.suffix}`, description: 'contract tour', level: 'project', duration: 30, permissions: pullOnly(ctx) }),
    status: 201,
    saves: ['robot.id'],
    then: (res, ctx) => {
      const created = res.json<{ id: number; name: string; secret: string }>();
      expect(created.name).toBe(`robot$${privateProject(ctx)}+puller${ctx.suffix}`);
      expect(created.secret.length).toBeGreaterThan(8);
      ctx.set('robot.id', created.id);
    },
  },
  {
    name: 'a developer may not create robots',
    area: 'robots',
    as: 'developer',
    method: 'POST',
    path: '/robots',
    body: (ctx) => ({ name: `nope${ctx.suffix}`, level: 'project', duration: 30, permissions: pullOnly(ctx) }),
    status: 403,
  },
  {
    name: 'admin creates a system robot',
    area: 'robots',
    as: 'admin',
    method: 'POST',
    path: '/robots',
    body: (ctx) => ({ name: `sys${ctx.suffix}`, level: 'system', duration: -1, permissions: [{ kind: 'system', namespace: '/', access: [{ resource: 'project', action: 'list' }] }] }),
    status: 201,
    saves: ['sysrobot.id'],
    then: (res, ctx) => ctx.set('sysrobot.id', res.json<{ id: number }>().id),
  },
  { name: 'anonymous may not list robots', area: 'robots', as: 'anonymous', method: 'GET', path: '/robots', status: [401, 403] },
  { name: 'admin lists robots', area: 'robots', as: 'admin', method: 'GET', path: '/robots?page_size=1', status: 200 },
  {
    name: 'the project admin lists the project’s robots',
    area: 'robots',
    as: 'projectAdmin',
    method: 'GET',
    path: (ctx) => `/robots?q=${encodeURIComponent(`Level=project,ProjectID=${ctx.get<number>('private.id')}`)}`,
    status: 200,
    then: (res) => expect(res.json<unknown[]>()).toHaveLength(1),
  },
  { name: 'admin gets a robot', area: 'robots', as: 'admin', method: 'GET', path: (ctx) => `/robots/${robotId(ctx)}`, status: 200 },
  { name: 'a non-member may not get the project robot', area: 'robots', as: 'nonMember', method: 'GET', path: (ctx) => `/robots/${robotId(ctx)}`, status: 403 },
  {
    name: 'the project admin disables the robot',
    area: 'robots',
    as: 'projectAdmin',
    method: 'PUT',
    path: (ctx) => `/robots/${robotId(ctx)}`,
    body: (ctx) => ({ name: `robot$${privateProject(ctx)}+puller${ctx.suffix}`, level: 'project', disable: true, duration: 30, permissions: pullOnly(ctx) }),
    status: 200,
  },
  { name: 'admin refreshes the robot’s secret', area: 'robots', as: 'admin', method: 'PATCH', path: (ctx) => `/robots/${robotId(ctx)}`, body: {}, status: 200 },
  { name: 'admin deletes the system robot', area: 'robots', as: 'admin', method: 'DELETE', path: (ctx) => `/robots/${ctx.get<number>('sysrobot.id')}`, status: 200 },
  { name: 'the project admin deletes the project robot', area: 'robots', as: 'projectAdmin', method: 'DELETE', path: (ctx) => `/robots/${robotId(ctx)}`, status: 200 },
  { name: 'the deleted robot is gone', area: 'robots', as: 'admin', method: 'GET', path: (ctx) => `/robots/${robotId(ctx)}`, status: 404 },
];

/** `/usergroups` and `/ldap/*` in db_auth: listing works, LDAP has nothing to talk to. */
export const groupSteps: Step[] = [
  { name: 'admin lists user groups', area: 'usergroups', as: 'admin', method: 'GET', path: '/usergroups', status: 200 },
  { name: 'a plain user searches user groups', area: 'usergroups', as: 'developer', method: 'GET', path: '/usergroups/search?groupname=tour', status: 200 },
  { name: 'anonymous may not list user groups', area: 'usergroups', as: 'anonymous', method: 'GET', path: '/usergroups', status: 401 },
  { name: 'a missing user group is 404', area: 'usergroups', as: 'admin', method: 'GET', path: '/usergroups/2147483000', status: 404 },
  { name: 'admin may not create an LDAP group in db_auth', area: 'usergroups', as: 'admin', method: 'POST', path: '/usergroups', body: { group_name: 'tour', group_type: 1, ldap_group_dn: 'cn=tour,dc=example,dc=test' }, status: [400, 403] },
  { name: 'admin searches LDAP users with no directory configured', area: 'ldap', as: 'admin', method: 'GET', path: '/ldap/users/search?username=tour', status: [200, 400, 500] },
  { name: 'admin searches LDAP groups with no directory configured', area: 'ldap', as: 'admin', method: 'GET', path: '/ldap/groups/search?groupname=tour', status: [200, 400, 500] },
  { name: 'a plain user may not import LDAP users', area: 'ldap', as: 'developer', method: 'POST', path: '/ldap/users/import', body: { ldap_uid_list: ['someone'] }, status: 403 },
  { name: 'admin changes a missing user group', area: 'usergroups', as: 'admin', method: 'PUT', path: '/usergroups/2147483000', body: { group_name: 'x' }, status: [400, 404] },
  { name: 'a plain user may not delete a user group', area: 'usergroups', as: 'developer', method: 'DELETE', path: '/usergroups/2147483000', status: 403 },
  { name: 'a plain user may not ping LDAP', area: 'ldap', as: 'developer', method: 'POST', path: '/ldap/ping', body: {}, status: 403 },
  { name: 'anonymous may not search LDAP users', area: 'ldap', as: 'anonymous', method: 'GET', path: '/ldap/users/search?username=x', status: 401 },
  {
    name: 'admin pings an LDAP server that is not there',
    area: 'ldap',
    as: 'admin',
    method: 'POST',
    path: '/ldap/ping',
    body: { ldap_url: 'ldap://127.0.0.1:1', ldap_connection_timeout: 2 },
    status: [200, 400],
  },
];
