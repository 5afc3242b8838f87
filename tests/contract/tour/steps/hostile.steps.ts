import type { Step, TourContext } from '../tour';
import { privateProject, publicProject } from './projects.steps';

const privateId = (ctx: TourContext) => ctx.get<number>('private.id');

/**
 * Hostile input: every answer must be Harbor's error envelope with a status
 * the operation declares (the tour checks both for every step).
 */
export const hostileSteps: Step[] = [
  { name: 'malformed JSON creating a project', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', raw: { body: '{"project_name": "x",', contentType: 'application/json' }, status: 400 },
  { name: 'malformed JSON creating a user', area: 'hostile', as: 'admin', method: 'POST', path: '/users', raw: { body: '{{{', contentType: 'application/json' }, status: 400 },
  { name: 'a JSON array instead of an object', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', raw: { body: '[1,2]', contentType: 'application/json' }, status: 400 },
  { name: 'a body that is not JSON at all', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', raw: { body: 'project_name=x', contentType: 'application/x-www-form-urlencoded' }, status: [400, 415] },
  { name: 'project_name of the wrong type', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', body: { project_name: 42 }, status: 400 },
  { name: 'metadata of the wrong type', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', body: (ctx) => ({ project_name: `meta-${ctx.suffix}`, metadata: { public: true } }), status: 400 },
  { name: 'role_id as a string', area: 'hostile', as: 'admin', method: 'POST', path: (ctx) => `/projects/${privateId(ctx)}/members`, body: { role_id: '1', member_user: { username: 'admin' } }, status: 400 },
  { name: 'sysadmin_flag as a string', area: 'hostile', as: 'admin', method: 'PUT', path: (ctx) => `/users/${ctx.get<number>('guest.id')}/sysadmin`, body: { sysadmin_flag: 'true' }, status: 400 },
  { name: 'a user id that is not a number', area: 'hostile', as: 'admin', method: 'GET', path: '/users/abc', status: [400, 404] },
  { name: 'a user id past INT', area: 'hostile', as: 'admin', method: 'GET', path: '/users/99999999999999999999', status: [400, 404] },
  { name: 'a member id that is not a number', area: 'hostile', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/members/1;DROP`, status: [400, 404] },
  {
    name: 'a huge page_size is served in pages of at most 100',
    area: 'hostile',
    as: 'admin',
    method: 'GET',
    path: '/projects?page_size=100000000',
    status: [200, 422],
    then: (res) => {
      if (res.status === 200) expect(res.json<unknown[]>().length).toBeLessThanOrEqual(100);
    },
  },
  { name: 'a negative page', area: 'hostile', as: 'admin', method: 'GET', path: '/projects?page=-1', status: [400, 422] },
  { name: 'page_size that is not a number', area: 'hostile', as: 'admin', method: 'GET', path: '/users?page_size=ten', status: [400, 422] },
  { name: 'an SQL-looking q', area: 'hostile', as: 'admin', method: 'GET', path: `/projects?q=${encodeURIComponent("name=' OR 1=1 --")}`, status: [200, 400], then: (res) => { if (res.status === 200) expect(res.json<unknown[]>()).toEqual([]); } },
  { name: 'an SQL-looking project name in the path', area: 'hostile', as: 'admin', method: 'GET', path: `/projects/${encodeURIComponent("x' OR '1'='1")}`, status: [400, 404] },
  { name: 'an SQL-looking project name to create', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', body: { project_name: "x'; DROP TABLE project; --" }, status: 400 },
  { name: 'a path-looking project name to create', area: 'hostile', as: 'admin', method: 'POST', path: '/projects', body: { project_name: '../../etc/passwd' }, status: 400 },
  { name: 'a path-looking project name in the path', area: 'hostile', as: 'admin', method: 'GET', path: `/projects/${encodeURIComponent('../users')}`, status: [400, 404] },
  { name: 'an SQL-looking username to create', area: 'hostile', as: 'admin', method: 'POST', path: '/users', body: { username: "a' OR 1=1 --", password: 'Passw0rdPassw0rd', email: 'sql@example.test', realname: 'x' }, status: 400 },
  { name: 'an SQL-looking entityname filter', area: 'hostile', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/members?entityname=${encodeURIComponent("' OR 1=1 --")}`, status: 200, then: (res) => expect(res.json<unknown[]>()).toEqual([]) },
  { name: 'an unknown sort key', area: 'hostile', as: 'admin', method: 'GET', path: '/users?sort=password', status: [400, 422] },
  // Another project's ids: a member id of the private project asked through the public one.
  { name: 'another project’s member id', area: 'hostile', as: 'admin', method: 'GET', path: (ctx) => `/projects/${publicProject(ctx)}/members/${ctx.get<number>('developer.member')}`, status: 404 },
  { name: 'changing another project’s member', area: 'hostile', as: 'admin', method: 'PUT', path: (ctx) => `/projects/${publicProject(ctx)}/members/${ctx.get<number>('developer.member')}`, body: { role_id: 1 }, status: 404 },
  { name: 'deleting another project’s member', area: 'hostile', as: 'admin', method: 'DELETE', path: (ctx) => `/projects/${publicProject(ctx)}/members/${ctx.get<number>('developer.member')}`, status: 404 },
  {
    name: 'the member touched through the wrong project is unchanged',
    area: 'hostile',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects/${privateProject(ctx)}/members/${ctx.get<number>('developer.member')}`,
    status: 200,
    then: (res) => expect(res.json<{ role_id: number }>().role_id).toBe(2),
  },
  { name: 'anonymous may not delete a project', area: 'hostile', as: 'anonymous', method: 'DELETE', path: (ctx) => `/projects/${privateId(ctx)}`, status: 401 },
  { name: 'a member added to a missing project', area: 'hostile', as: 'admin', method: 'POST', path: '/projects/2147483000/members', body: { role_id: 2, member_user: { username: 'admin' } }, status: 404 },
  { name: 'a robot with fields of the wrong types', area: 'hostile', as: 'admin', method: 'POST', path: '/robots', body: { name: 1, level: 'project', duration: 'forever', permissions: 'all' }, status: 400 },
  { name: 'a robot for another project’s namespace by a project admin', area: 'hostile', as: 'projectAdmin', method: 'POST', path: '/robots', body: (ctx) => ({ name: `sneaky${ctx.suffix}`, level: 'project', duration: 30, permissions: [{ kind: 'project', namespace: publicProject(ctx), access: [{ resource: 'repository', action: 'push' }] }] }), status: 403 },
  { name: 'a path-looking tag name', area: 'hostile', as: 'admin', method: 'POST', path: (ctx) => `/projects/${privateProject(ctx)}/repositories/hello/artifacts/v1/tags`, body: { name: '../../v9' }, status: [400, 404] },
  { name: 'wrong Basic credentials', area: 'hostile', as: 'anonymous', method: 'GET', path: '/users/current', headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }, status: 401 },
  { name: 'a malformed Authorization header', area: 'hostile', as: 'anonymous', method: 'GET', path: '/projects', headers: { authorization: 'Basic !!!' }, status: 401 },
  { name: 'a route outside the swagger', area: 'hostile', as: 'admin', method: 'GET', path: '/no/such/thing', status: 404 },
  { name: 'a method the swagger does not declare', area: 'hostile', as: 'admin', method: 'PATCH', path: '/users/current', body: {}, status: 405 },
];
