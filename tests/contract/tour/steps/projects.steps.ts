import { ActorName, Json, RoleName, roleNames, roles, Step, TourContext } from '../tour';
import { usernameOf } from './identity.steps';

/** The tour's projects: a private one with a member of every role, a public one, and one to update and delete. */
export const privateProject = (ctx: TourContext) => `tour-private-${ctx.suffix}`;
export const publicProject = (ctx: TourContext) => `tour-public-${ctx.suffix}`;
const tempProject = (ctx: TourContext) => `tour-temp-${ctx.suffix}`;
const privateId = (ctx: TourContext) => ctx.get<number>('private.id');

type ProjectView = { project_id: number; name: string; current_user_role_id?: number; metadata?: { public?: string } };

export const projectSteps: Step[] = [
  {
    name: 'admin creates a private project',
    area: 'projects',
    as: 'admin',
    method: 'POST',
    path: '/projects',
    body: (ctx) => ({ project_name: privateProject(ctx), metadata: { public: 'false' } }),
    status: 201,
    then: (res, ctx) => ctx.set('private.id', Number(res.headers.get('location')!.split('/').pop())),
  },
  {
    name: 'admin creates a public project, Location by name',
    area: 'projects',
    as: 'admin',
    method: 'POST',
    path: '/projects',
    headers: { 'X-Resource-Name-In-Location': 'true' },
    body: (ctx) => ({ project_name: publicProject(ctx), metadata: { public: 'true' } }),
    status: 201,
    then: (res, ctx) => expect(res.headers.get('location')).toBe(`/api/v2.0/projects/${publicProject(ctx)}`),
  },
  {
    name: 'a user creates a project (restriction: everyone), with the deprecated public flag and a storage limit',
    area: 'projects',
    as: 'developer',
    method: 'POST',
    path: '/projects',
    body: (ctx) => ({ project_name: tempProject(ctx), public: false, storage_limit: -1, metadata: { auto_scan: 'true', severity: 'high' } }),
    status: 201,
  },
  { name: 'the same project name again is a conflict', area: 'projects', as: 'admin', method: 'POST', path: '/projects', body: (ctx) => ({ project_name: privateProject(ctx) }), status: 409 },
  { name: 'anonymous may not create projects', area: 'projects', as: 'anonymous', method: 'POST', path: '/projects', body: (ctx) => ({ project_name: `anon-${ctx.suffix}` }), status: 401 },
  { name: 'HEAD finds an existing project', area: 'projects', as: 'admin', method: 'HEAD', path: (ctx) => `/projects?project_name=${privateProject(ctx)}`, status: 200 },
  { name: 'HEAD does not find a missing project', area: 'projects', as: 'admin', method: 'HEAD', path: (ctx) => `/projects?project_name=missing-${ctx.suffix}`, status: 404 },
  {
    name: 'admin lists projects with q, sort and pages',
    area: 'projects',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects?q=${encodeURIComponent(`name=~${ctx.suffix}`)}&sort=name&page=1&page_size=2`,
    status: 200,
    then: (res, ctx) => {
      expect(res.headers.get('x-total-count')).toBe('3');
      expect(res.json<ProjectView[]>().map((p) => p.name)).toEqual([privateProject(ctx), publicProject(ctx)]);
    },
  },
  { name: 'admin lists projects, last page', area: 'projects', as: 'admin', method: 'GET', path: (ctx) => `/projects?q=${encodeURIComponent(`name=~${ctx.suffix}`)}&sort=name&page=2&page_size=2`, status: 200 },
  {
    name: 'admin lists projects by name, public filter, owner',
    area: 'projects',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects?name=${ctx.suffix}&public=true&owner=admin&with_detail=true`,
    status: 200,
    then: (res, ctx) => expect(res.json<ProjectView[]>().map((p) => p.name)).toEqual([publicProject(ctx)]),
  },
  {
    name: 'anonymous lists only public projects',
    area: 'projects',
    as: 'anonymous',
    method: 'GET',
    path: (ctx) => `/projects?name=${ctx.suffix}`,
    status: 200,
    then: (res, ctx) => expect(res.json<ProjectView[]>().map((p) => p.name)).toEqual([publicProject(ctx)]),
  },
  {
    name: 'a non-member does not see the private project in lists',
    area: 'projects',
    as: 'nonMember',
    method: 'GET',
    path: (ctx) => `/projects?name=${privateProject(ctx)}`,
    status: 200,
    then: (res) => expect(res.json<ProjectView[]>()).toEqual([]),
  },
  { name: 'admin gets a project by id', area: 'projects', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}`, status: 200 },
  {
    name: 'admin gets a project by name',
    area: 'projects',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects/${privateProject(ctx)}`,
    headers: { 'X-Is-Resource-Name': 'true' },
    status: 200,
    then: (res, ctx) => expect(res.json<ProjectView>().project_id).toBe(privateId(ctx)),
  },
  { name: 'anonymous gets the public project', area: 'projects', as: 'anonymous', method: 'GET', path: (ctx) => `/projects/${publicProject(ctx)}`, status: 200 },
  { name: 'anonymous may not get the private project', area: 'projects', as: 'anonymous', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}`, status: 401 },
  { name: 'a non-member may not get the private project', area: 'projects', as: 'nonMember', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}`, status: 403 },
  { name: 'a missing project is 404', area: 'projects', as: 'admin', method: 'GET', path: '/projects/2147483000', status: 404 },
  { name: 'library exists and is public', area: 'projects', as: 'anonymous', method: 'GET', path: '/projects/library', status: 200, then: (res) => expect(res.json<ProjectView>().metadata?.public).toBe('true') },
  { name: 'project summary', area: 'project-extras', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/summary`, status: 200 },
  { name: 'project deletable check', area: 'project-extras', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/_deletable`, status: 200 },
  {
    name: 'admin updates a project’s metadata',
    area: 'project-extras',
    as: 'admin',
    method: 'PUT',
    path: (ctx) => `/projects/${tempProject(ctx)}`,
    body: { metadata: { public: 'true', prevent_vul: 'true', severity: 'critical' } },
    status: 200,
  },
  { name: 'project metadata list', area: 'project-metadata', as: 'admin', method: 'GET', path: (ctx) => `/projects/${tempProject(ctx)}/metadatas/`, status: 200 },
  { name: 'a guest may not delete a project', area: 'projects', as: 'guest', method: 'DELETE', path: (ctx) => `/projects/${privateId(ctx)}`, status: 403 },
];

/** Deleting comes last, after the roles walked the projects. */
export const projectCleanupSteps: Step[] = [
  { name: 'the creator deletes their empty project', area: 'projects', as: 'developer', method: 'DELETE', path: (ctx) => `/projects/${tempProject(ctx)}`, status: 200 },
  { name: 'the deleted project is gone', area: 'projects', as: 'admin', method: 'HEAD', path: (ctx) => `/projects?project_name=${tempProject(ctx)}`, status: 404 },
];

type MemberView = { id: number; entity_name: string; role_id: number; entity_type: string };

export const memberSteps: Step[] = [
  ...roleNames.map(
    (role): Step => ({
      name: `admin adds the ${role}`,
      area: 'members',
      as: 'admin',
      method: 'POST',
      path: (ctx) => `/projects/${privateId(ctx)}/members`,
      // The developer is named by id, the others by username: both forms of Harbor's `member_user`.
      body: (ctx) => ({ role_id: roles[role], member_user: role === 'developer' ? { user_id: ctx.get<number>('developer.id') } : { username: usernameOf(ctx, role) } }) as Json,
      status: 201,
      then: (res, ctx) => {
        expect(res.headers.get('location')).toMatch(new RegExp(`^/api/v2\\.0/projects/${privateId(ctx)}/members/[0-9]+$`));
        ctx.set(`${role}.member`, Number(res.headers.get('location')!.split('/').pop()));
      },
    }),
  ),
  {
    name: 'the guest is also made a guest of the public project',
    area: 'members',
    as: 'admin',
    method: 'POST',
    path: (ctx) => `/projects/${publicProject(ctx)}/members`,
    body: (ctx) => ({ role_id: roles.guest, member_user: { username: usernameOf(ctx, 'guest') } }),
    status: 201,
  },
  { name: 'adding a member twice is a conflict', area: 'members', as: 'admin', method: 'POST', path: (ctx) => `/projects/${privateId(ctx)}/members`, body: (ctx) => ({ role_id: 2, member_user: { username: usernameOf(ctx, 'guest') } }), status: 409 },
  { name: 'an unknown role is refused', area: 'members', as: 'admin', method: 'POST', path: (ctx) => `/projects/${privateId(ctx)}/members`, body: (ctx) => ({ role_id: 9, member_user: { username: usernameOf(ctx, 'nonMember') } }), status: 400 },
  {
    name: 'admin lists members',
    area: 'members',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects/${privateId(ctx)}/members?page_size=3`,
    status: 200,
    then: (res) => expect(Number(res.headers.get('x-total-count'))).toBe(6),
  },
  {
    name: 'admin lists members by entity name',
    area: 'members',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects/${privateProject(ctx)}/members?entityname=${usernameOf(ctx, 'maintainer')}`,
    status: 200,
    then: (res) => expect(res.json<MemberView[]>().map((m) => m.role_id)).toEqual([roles.maintainer]),
  },
  {
    name: 'admin gets a member',
    area: 'members',
    as: 'admin',
    method: 'GET',
    path: (ctx) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('guest.member')}`,
    status: 200,
    then: (res, ctx) => expect(res.json<MemberView>()).toMatchObject({ entity_name: usernameOf(ctx, 'guest'), role_id: roles.guest, entity_type: 'u' }),
  },
  { name: 'admin changes a member’s role', area: 'members', as: 'admin', method: 'PUT', path: (ctx) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('guest.member')}`, body: { role_id: roles.developer }, status: 200 },
  { name: 'and back', area: 'members', as: 'admin', method: 'PUT', path: (ctx) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('guest.member')}`, body: { role_id: roles.guest }, status: 200 },
  { name: 'a missing member is 404', area: 'members', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/members/2147483000`, status: 404 },
  { name: 'anonymous may not list members of the public project', area: 'members', as: 'anonymous', method: 'GET', path: (ctx) => `/projects/${publicProject(ctx)}/members`, status: [401, 403] },
];

/** What each role may do in the private project, walked through the API. */
const may: Record<RoleName, { listMembers: boolean; addMember: boolean }> = {
  projectAdmin: { listMembers: true, addMember: true },
  maintainer: { listMembers: true, addMember: false },
  developer: { listMembers: true, addMember: false },
  guest: { listMembers: true, addMember: false },
  limitedGuest: { listMembers: false, addMember: false },
};

export const roleSteps: Step[] = roleNames.flatMap((role): Step[] => {
  const as: ActorName = role;
  return [
    {
      name: `the ${role} gets the project and sees their role`,
      area: 'permissions',
      as,
      method: 'GET',
      path: (ctx) => `/projects/${privateId(ctx)}`,
      status: 200,
      then: (res) => expect(res.json<ProjectView>().current_user_role_id).toBe(roles[role]),
    },
    {
      name: `the ${role} sees the project in lists`,
      area: 'permissions',
      as,
      method: 'GET',
      path: (ctx) => `/projects?name=${privateProject(ctx)}`,
      status: 200,
      then: (res) => expect(res.json<ProjectView[]>()).toHaveLength(1),
    },
    {
      name: `the ${role} ${may[role].listMembers ? 'lists' : 'may not list'} members`,
      area: 'permissions',
      as,
      method: 'GET',
      path: (ctx) => `/projects/${privateId(ctx)}/members`,
      status: may[role].listMembers ? 200 : 403,
    },
    {
      name: `the ${role} ${may[role].addMember ? 'adds' : 'may not add'} a member`,
      area: 'permissions',
      as,
      method: 'POST',
      path: (ctx) => `/projects/${privateId(ctx)}/members`,
      body: (ctx) => ({ role_id: roles.guest, member_user: { username: usernameOf(ctx, 'nonMember') } }),
      status: may[role].addMember ? 201 : 403,
      then: (res, ctx) => {
        if (res.status === 201) ctx.set('added.member', Number(res.headers.get('location')!.split('/').pop()));
      },
    },
    ...(may[role].addMember
      ? [
          {
            name: `the ${role} removes the member again`,
            area: 'permissions',
            as,
            method: 'DELETE',
            path: (ctx: TourContext) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('added.member')}`,
            status: 200,
          } satisfies Step,
        ]
      : []),
    // A project admin may delete the project (Harbor's matrix); the tour keeps it, so only the others try.
    ...(role === 'projectAdmin'
      ? []
      : [{ name: `the ${role} may not delete the project`, area: 'permissions', as, method: 'DELETE', path: (ctx: TourContext) => `/projects/${privateId(ctx)}`, status: 403 } satisfies Step]),
  ];
});

export const memberCleanupSteps: Step[] = [
  { name: 'admin removes the limited guest', area: 'members', as: 'admin', method: 'DELETE', path: (ctx) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('limitedGuest.member')}`, status: 200 },
  { name: 'the removed member is gone', area: 'members', as: 'admin', method: 'GET', path: (ctx) => `/projects/${privateId(ctx)}/members/${ctx.get<number>('limitedGuest.member')}`, status: 404 },
];
