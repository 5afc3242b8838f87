import { roleNames, Step, TourContext } from '../tour';

/** The people of the tour: one user per role, a non-member, and a user created only to be changed and deleted. */
export const tourUsers = [...roleNames, 'nonMember'] as const;

export function usernameOf(ctx: TourContext, who: string): string {
  return `tour_${who.toLowerCase()}_${ctx.suffix}`;
}

function passwordOf(ctx: TourContext, who: string): string {
  return `Tour1${who}${ctx.suffix}`;
}

/** Creates each role's user as admin and lets later steps act as them. */
export const identitySetupSteps: Step[] = tourUsers.map((who) => ({
  name: `admin creates the ${who} user`,
  area: 'users',
  as: 'admin',
  method: 'POST',
  path: '/users',
  body: (ctx: TourContext) => ({
    username: usernameOf(ctx, who),
    password: passwordOf(ctx, who),
    email: `${usernameOf(ctx, who)}@example.test`,
    realname: `Tour ${who}`,
    comment: 'contract tour',
  }),
  status: 201,
  then: (res, ctx) => {
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v2\.0\/users\/[0-9]+$/);
    ctx.set(`${who}.id`, Number(location.split('/').pop()));
    ctx.credentials.set(who, { username: usernameOf(ctx, who), password: passwordOf(ctx, who) });
  },
}));

const temp = (ctx: TourContext) => ctx.get<number>('temp.id');

/** `/users…` as admin, as a plain user and anonymously. */
export const userSteps: Step[] = [
  {
    name: 'admin creates a user to change and delete',
    area: 'users',
    as: 'admin',
    method: 'POST',
    path: '/users',
    body: (ctx) => ({ username: usernameOf(ctx, 'temp'), password: passwordOf(ctx, 'temp'), email: `${usernameOf(ctx, 'temp')}@example.test`, realname: 'Temp' }),
    status: 201,
    saves: ['temp.id'],
    then: (res, ctx) => ctx.set('temp.id', Number(res.headers.get('location')!.split('/').pop())),
  },
  {
    name: 'the same username again is a conflict',
    area: 'users',
    as: 'admin',
    method: 'POST',
    path: '/users',
    body: (ctx) => ({ username: usernameOf(ctx, 'temp'), password: passwordOf(ctx, 'temp'), email: `other_${ctx.suffix}@example.test`, realname: 'Temp' }),
    status: 409,
  },
  {
    name: 'a weak password is refused',
    area: 'users',
    as: 'admin',
    method: 'POST',
    path: '/users',
    body: (ctx) => ({ username: `weak_${ctx.suffix}`, password: 'password', email: `weak_${ctx.suffix}@example.test`, realname: 'Weak' }),
    status: 400,
  },
  { name: 'a plain user may not create users', area: 'users', as: 'developer', method: 'POST', path: '/users', body: (ctx) => ({ username: `nope_${ctx.suffix}`, password: 'Passw0rdPassw0rd' }), status: 403 },
  { name: 'anonymous may not register when self-registration is off', area: 'users', as: 'anonymous', method: 'POST', path: '/users', body: (ctx) => ({ username: `anon_${ctx.suffix}`, password: 'Passw0rdPassw0rd', email: `anon_${ctx.suffix}@example.test`, realname: 'A' }), status: [401, 403] },
  {
    name: 'admin lists users, two per page',
    area: 'users',
    as: 'admin',
    method: 'GET',
    path: '/users?page=1&page_size=2',
    status: 200,
    then: (res) => {
      expect(res.json<unknown[]>()).toHaveLength(2);
      expect(Number(res.headers.get('x-total-count'))).toBeGreaterThan(2);
    },
  },
  { name: 'admin lists users, second page', area: 'users', as: 'admin', method: 'GET', path: '/users?page=2&page_size=2', status: 200 },
  {
    name: 'admin lists users filtered with q and sorted',
    area: 'users',
    as: 'admin',
    method: 'GET',
    path: `/users?q=${encodeURIComponent('username=~tour_')}&sort=-username&page_size=100`,
    status: 200,
    then: (res, ctx) => {
      const names = res.json<Array<{ username: string }>>().map((u) => u.username);
      expect(names).toContain(usernameOf(ctx, 'developer'));
      expect([...names].sort().reverse()).toEqual(names);
    },
  },
  { name: 'a plain user may not list users', area: 'users', as: 'developer', method: 'GET', path: '/users', status: 403 },
  { name: 'anonymous may not list users', area: 'users', as: 'anonymous', method: 'GET', path: '/users', status: 401 },
  { name: 'admin gets a user', area: 'users', as: 'admin', method: 'GET', path: (ctx) => `/users/${temp(ctx)}`, status: 200, then: (res, ctx) => expect(res.json<{ username: string }>().username).toBe(usernameOf(ctx, 'temp')) },
  { name: 'a user gets themselves', area: 'users', as: 'developer', method: 'GET', path: (ctx) => `/users/${ctx.get<number>('developer.id')}`, status: 200 },
  { name: 'a user may not get another user', area: 'users', as: 'developer', method: 'GET', path: (ctx) => `/users/${temp(ctx)}`, status: 403 },
  { name: 'a missing user is 404', area: 'users', as: 'admin', method: 'GET', path: '/users/2147483000', status: 404 },
  { name: 'current user as admin', area: 'users', as: 'admin', method: 'GET', path: '/users/current', status: 200, then: (res) => expect(res.json<{ sysadmin_flag: boolean }>().sysadmin_flag).toBe(true) },
  { name: 'current user as a plain user', area: 'users', as: 'guest', method: 'GET', path: '/users/current', status: 200 },
  { name: 'current user anonymously', area: 'users', as: 'anonymous', method: 'GET', path: '/users/current', status: 401 },
  {
    name: 'user search by name',
    area: 'user-search',
    as: 'developer',
    method: 'GET',
    path: (ctx) => `/users/search?username=guest_${ctx.suffix}`,
    status: 200,
    then: (res, ctx) => expect(res.json<Array<{ username: string }>>().map((u) => u.username)).toContain(usernameOf(ctx, 'guest')),
  },
  {
    name: 'user search matches part of a name and pages',
    area: 'user-search',
    as: 'guest',
    method: 'GET',
    path: (ctx) => `/users/search?username=developer_${ctx.suffix}&page_size=1`,
    status: 200,
    then: (res, ctx) => expect(res.json<Array<{ username: string }>>()).toEqual([expect.objectContaining({ username: usernameOf(ctx, 'developer') })]),
  },
  { name: 'user search treats LIKE wildcards literally', area: 'user-search', as: 'developer', method: 'GET', path: '/users/search?username=%25', status: 200, then: (res) => expect(res.json<unknown[]>()).toEqual([]) },
  { name: 'anonymous may not search users', area: 'user-search', as: 'anonymous', method: 'GET', path: '/users/search?username=a', status: 401 },
  { name: 'current user permissions', area: 'user-extras', as: 'developer', method: 'GET', path: '/users/current/permissions?scope=/project/1&relative=true', status: 200 },
  {
    name: 'a user updates their own profile',
    area: 'user-profile',
    as: 'developer',
    method: 'PUT',
    path: (ctx) => `/users/${ctx.get<number>('developer.id')}`,
    body: (ctx) => ({ email: `dev2_${ctx.suffix}@example.test`, realname: 'Tour Developer', comment: 'updated by the tour' }),
    status: 200,
  },
  { name: 'the profile change shows', area: 'user-profile', as: 'developer', method: 'GET', path: '/users/current', status: 200, then: (res) => expect(res.json<{ realname: string }>().realname).toBe('Tour Developer') },
  { name: 'a profile with a malformed email is refused', area: 'user-profile', as: 'developer', method: 'PUT', path: (ctx) => `/users/${ctx.get<number>('developer.id')}`, body: { email: 'not-an-email' }, status: 400 },
  { name: 'a profile with a wrongly typed field is refused', area: 'user-profile', as: 'developer', method: 'PUT', path: (ctx) => `/users/${ctx.get<number>('developer.id')}`, body: { realname: 42 }, status: 400 },
  { name: 'anonymous may not update a profile', area: 'user-profile', as: 'anonymous', method: 'PUT', path: (ctx) => `/users/${ctx.get<number>('developer.id')}`, body: { realname: 'x' }, status: 401 },
  { name: 'a user may not update another’s profile', area: 'user-profile', as: 'developer', method: 'PUT', path: (ctx) => `/users/${temp(ctx)}`, body: { realname: 'x' }, status: 403 },
  {
    name: 'admin changes a user’s password',
    area: 'users',
    as: 'admin',
    method: 'PUT',
    path: (ctx) => `/users/${temp(ctx)}/password`,
    body: (ctx) => ({ new_password: `New1${passwordOf(ctx, 'temp')}` }),
    status: 200,
  },
  {
    name: 'a user changes their own password with the old one',
    area: 'users',
    as: 'nonMember',
    method: 'PUT',
    path: (ctx) => `/users/${ctx.get<number>('nonMember.id')}/password`,
    body: (ctx) => ({ old_password: passwordOf(ctx, 'nonMember'), new_password: `Again2${passwordOf(ctx, 'nonMember')}` }),
    status: 200,
    then: (_res, ctx) => {
      ctx.credentials.set('nonMember', { username: usernameOf(ctx, 'nonMember'), password: `Again2${passwordOf(ctx, 'nonMember')}` });
    },
  },
  {
    name: 'a wrong old password is refused',
    area: 'users',
    as: 'nonMember',
    method: 'PUT',
    path: (ctx) => `/users/${ctx.get<number>('nonMember.id')}/password`,
    body: { old_password: 'Wrong1wrong', new_password: 'Another1another' },
    status: [400, 403],
  },
  { name: 'a user may not change another’s password', area: 'users', as: 'developer', method: 'PUT', path: (ctx) => `/users/${temp(ctx)}/password`, body: { old_password: 'x', new_password: 'Another1another' }, status: 403 },
  { name: 'admin makes a user sysadmin', area: 'users', as: 'admin', method: 'PUT', path: (ctx) => `/users/${temp(ctx)}/sysadmin`, body: { sysadmin_flag: true }, status: 200 },
  { name: 'the user is now sysadmin', area: 'users', as: 'admin', method: 'GET', path: (ctx) => `/users/${temp(ctx)}`, status: 200, then: (res) => expect(res.json<{ sysadmin_flag: boolean }>().sysadmin_flag).toBe(true) },
  { name: 'admin revokes sysadmin', area: 'users', as: 'admin', method: 'PUT', path: (ctx) => `/users/${temp(ctx)}/sysadmin`, body: { sysadmin_flag: false }, status: 200 },
  { name: 'a plain user may not toggle sysadmin', area: 'users', as: 'developer', method: 'PUT', path: (ctx) => `/users/${ctx.get<number>('developer.id')}/sysadmin`, body: { sysadmin_flag: true }, status: 403 },
  { name: 'a plain user may not delete users', area: 'users', as: 'developer', method: 'DELETE', path: (ctx) => `/users/${temp(ctx)}`, status: 403 },
  { name: 'admin deletes a user', area: 'users', as: 'admin', method: 'DELETE', path: (ctx) => `/users/${temp(ctx)}`, status: 200 },
  { name: 'the deleted user is gone', area: 'users', as: 'admin', method: 'GET', path: (ctx) => `/users/${temp(ctx)}`, status: 404 },
];
