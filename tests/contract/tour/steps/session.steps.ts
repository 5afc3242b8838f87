import type { Step, TourContext } from '../tour';

/** Logs in at the portal's `/c/login` as the developer; keeps the session cookie and CSRF token. */
async function portalLogin(ctx: TourContext): Promise<void> {
  const dev = ctx.credentials.get('developer')!;
  const res = await fetch(`${ctx.url}/c/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ principal: dev.username, password: dev.password }).toString(),
  });
  if (res.status !== 200) throw new Error(`portal login: ${res.status} ${await res.text()}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
  if (!sid) throw new Error('portal login set no sid cookie');
  ctx.set('session.cookie', sid.split(';')[0]!);
  ctx.set('session.csrf', res.headers.get('x-harbor-csrf-token') ?? '');
}

async function portalLogout(ctx: TourContext): Promise<void> {
  await fetch(`${ctx.url}/c/log_out`, { headers: { cookie: ctx.get<string>('session.cookie') } });
}

const cookie = (ctx: TourContext) => ({ cookie: ctx.get<string>('session.cookie') });

/** The API with a portal session: cookie reads, CSRF-guarded writes, and what a dead session is worth. */
export const sessionSteps: Step[] = [
  { name: 'a session cookie authenticates a read', area: 'sessions', as: 'anonymous', method: 'GET', path: '/users/current', before: portalLogin, headers: cookie, status: 200 },
  {
    name: 'a cookie-authenticated write without the CSRF token is refused and changes nothing',
    area: 'hostile',
    as: 'anonymous',
    method: 'POST',
    path: '/projects',
    headers: cookie,
    body: (ctx) => ({ project_name: `csrf-${ctx.suffix}` }),
    status: 403,
  },
  { name: 'the refused project does not exist', area: 'hostile', as: 'admin', method: 'HEAD', path: (ctx) => `/projects?project_name=csrf-${ctx.suffix}`, status: 404 },
  {
    name: 'a cookie-authenticated write with the CSRF token works',
    area: 'sessions',
    as: 'anonymous',
    method: 'POST',
    path: '/projects',
    headers: (ctx) => ({ ...cookie(ctx), 'X-Harbor-CSRF-Token': ctx.get<string>('session.csrf') }),
    body: (ctx) => ({ project_name: `session-${ctx.suffix}` }),
    status: 201,
  },
  {
    name: 'the project made through the session is deleted through it',
    area: 'sessions',
    as: 'anonymous',
    method: 'DELETE',
    path: (ctx) => `/projects/${encodeURIComponent(`session-${ctx.suffix}`)}`,
    headers: (ctx) => ({ ...cookie(ctx), 'X-Harbor-CSRF-Token': ctx.get<string>('session.csrf') }),
    status: 200,
  },
  { name: 'after logout the session cookie is worth nothing', area: 'hostile', as: 'anonymous', method: 'GET', path: '/users/current', before: portalLogout, headers: cookie, status: 401 },
  { name: 'a forged session cookie is worth nothing', area: 'hostile', as: 'anonymous', method: 'GET', path: '/users/current', headers: { cookie: 'sid=forged-session-id' }, status: 401 },
];
