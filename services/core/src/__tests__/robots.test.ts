import { verifyRegistryToken } from '@harbor/auth';
import { passwordProblem } from '../domain/password-policy';
import { addMember, asAdmin, basic, createProject, createUser, Harness, startCore } from './support/core-harness';

type Access = { resource: string; action: string; effect?: string };

const repo = (...actions: string[]): Access[] => actions.map((action) => ({ resource: 'repository', action }));

function projectRobot(project: string, name: string, access: Access[], extra: Record<string, unknown> = {}) {
  return { name, description: `robot ${name}`, level: 'project', duration: -1, permissions: [{ kind: 'project', namespace: project, access }], ...extra };
}

describe('/api/v2.0/robots', () => {
  let h: Harness;
  let teamId: number;
  let otherId: number;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    h = await startCore();
    teamId = await createProject(h, 'team', asAdmin, false);
    otherId = await createProject(h, 'other', asAdmin, false);
    for (const [name, role] of [['padmin', 1], ['maint', 4], ['dev', 2]] as const) {
      auth[name] = (await createUser(h, name)).auth;
      await addMember(h, 'team', name, role);
    }
    auth.otheradmin = (await createUser(h, 'otheradmin')).auth;
    await addMember(h, 'other', 'otheradmin', 1);
  });
  afterAll(() => h.close());

  async function create(body: unknown, as = asAdmin): Promise<{ id: number; name: string; secret: string }> {
    const res = await h.http.post('/api/v2.0/robots').set('Authorization', as).send(body as object);
    if (res.status !== 201) throw new Error(`creating robot: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number; name: string; secret: string };
  }

  function claimsOf(token: string) {
    return verifyRegistryToken(token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
  }

  async function tokenActions(authorization: string, scope: string): Promise<{ status: number; actions?: string[]; sub?: string }> {
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', scope }).set('Authorization', authorization);
    if (res.status !== 200) return { status: res.status };
    const claims = claimsOf(res.body.token);
    return { status: 200, actions: claims.access[0]?.actions, sub: claims.sub };
  }

  const robotCount = async () => Number((await h.database.db.selectFrom('robot').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  describe('creation', () => {
    it('lets a system admin create a system robot: 201, Location, the secret once, Harbor’s name', async () => {
      const res = await h.http
        .post('/api/v2.0/robots')
        .set('Authorization', asAdmin)
        .send({ name: 'ci', description: 'CI', level: 'system', duration: -1, permissions: [{ kind: 'project', namespace: '*', access: repo('pull') }] });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v2.0/robots/${res.body.id}`);
      expect(Object.keys(res.body).sort()).toEqual(['creation_time', 'expires_at', 'id', 'name', 'secret']);
      expect(res.body.name).toBe('robot$ci');
      expect(res.body.expires_at).toBe(-1);
      expect(passwordProblem(res.body.secret)).toBeNull();
      const stored = await h.database.db.selectFrom('robot').select('secret').where('id', '=', res.body.id).executeTakeFirstOrThrow();
      expect(stored.secret).not.toContain(res.body.secret);
      expect(stored.secret).toMatch(/^scrypt\$/);
      const got = await h.http.get(`/api/v2.0/robots/${res.body.id}`).set('Authorization', asAdmin);
      expect(got.status).toBe(200);
      expect(got.body.secret).toBeUndefined();
      expect(got.body).toMatchObject({
        id: res.body.id, name: 'robot$ci', description: 'CI', level: 'system', duration: -1, editable: true, disable: false, expires_at: -1,
        permissions: [{ kind: 'project', namespace: '*', access: [{ resource: 'repository', action: 'pull', effect: 'allow' }] }],
        creator_type: 'local', creator_ref: 1,
      });
    });

    it('lets a project admin create a robot of their project, named robot$<project>+<name>, expiring after its duration', async () => {
      const before = Math.floor(Date.now() / 1000);
      const robot = await create(projectRobot('team', 'builder', repo('pull', 'push'), { duration: 3 }), auth.padmin);
      expect(robot.name).toBe('robot$team+builder');
      const got = await h.http.get(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!);
      expect(got.body.level).toBe('project');
      expect(got.body.duration).toBe(3);
      expect(got.body.expires_at).toBeGreaterThanOrEqual(before + 3 * 86400);
      expect(got.body.expires_at).toBeLessThanOrEqual(before + 3 * 86400 + 60);
    });

    it('refuses project robots to developers and maintainers (403) and to anonymous callers (401)', async () => {
      const body = projectRobot('team', 'sneaky', repo('pull'));
      for (const who of ['dev', 'maint']) {
        const res = await h.http.post('/api/v2.0/robots').set('Authorization', auth[who]!).send(body);
        expect(res.status).toBe(403);
        expect(res.body.errors[0].code).toBe('FORBIDDEN');
      }
      expect((await h.http.post('/api/v2.0/robots').send(body)).status).toBe(401);
      expect(await h.database.db.selectFrom('robot').select('id').where('name', '=', 'sneaky').executeTakeFirst()).toBeUndefined();
    });

    it('refuses system robots to anyone but system admins', async () => {
      const res = await h.http.post('/api/v2.0/robots').set('Authorization', auth.padmin!).send({ name: 'sys', level: 'system', duration: -1, permissions: [{ kind: 'project', namespace: 'team', access: repo('pull') }] });
      expect(res.status).toBe(403);
    });

    it('refuses a project admin a robot in another project, or with a scope outside their project', async () => {
      expect((await h.http.post('/api/v2.0/robots').set('Authorization', auth.padmin!).send(projectRobot('other', 'x', repo('pull')))).status).toBe(403);
      const twoScopes = { ...projectRobot('team', 'x', repo('pull')), permissions: [{ kind: 'project', namespace: 'team', access: repo('pull') }, { kind: 'project', namespace: 'other', access: repo('pull') }] };
      expect((await h.http.post('/api/v2.0/robots').set('Authorization', auth.padmin!).send(twoScopes)).status).toBe(400);
      const star = projectRobot('*', 'x', repo('pull'));
      // No project is named `*`: refused either way (403 to non-admins, who may not learn which names exist).
      expect([400, 403, 404]).toContain((await h.http.post('/api/v2.0/robots').set('Authorization', auth.padmin!).send(star)).status);
      expect(await h.database.db.selectFrom('robot').select('id').where('name', '=', 'x').executeTakeFirst()).toBeUndefined();
    });

    it('answers 404 for a project robot of a project that does not exist, and 400 for a system robot naming one', async () => {
      expect((await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send(projectRobot('ghost', 'x', repo('pull')))).status).toBe(404);
      const res = await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send({ name: 'x', level: 'system', duration: -1, permissions: [{ kind: 'project', namespace: 'ghost', access: repo('pull') }] });
      expect(res.status).toBe(400);
    });

    it('answers 409 for a name already used in the same project, and allows it in another', async () => {
      await create(projectRobot('team', 'twin', repo('pull')));
      const again = await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send(projectRobot('team', 'twin', repo('pull')));
      expect(again.status).toBe(409);
      expect(again.body.errors[0].code).toBe('CONFLICT');
      expect((await create(projectRobot('other', 'twin', repo('pull')))).name).toBe('robot$other+twin');
    });

    it.each([
      ['a $ in the name', projectRobot('team', 'a$b', repo('pull'))],
      ['a / in the name', projectRobot('team', 'a/b', repo('pull'))],
      ['a .. name', projectRobot('team', '..', repo('pull'))],
      ['a + in the name', projectRobot('team', 'a+b', repo('pull'))],
      ['an empty name', projectRobot('team', '', repo('pull'))],
      ['a name of the wrong type', projectRobot('team', 42 as unknown as string, repo('pull'))],
      ['an unknown level', projectRobot('team', 'x', repo('pull'), { level: 'galaxy' })],
      ['a negative duration other than -1', projectRobot('team', 'x', repo('pull'), { duration: -2 })],
      ['a duration of the wrong type', projectRobot('team', 'x', repo('pull'), { duration: 'forever' })],
      ['a fractional duration', projectRobot('team', 'x', repo('pull'), { duration: 1.5 })],
      ['permissions of the wrong type', projectRobot('team', 'x', repo('pull'), { permissions: 'all' })],
      ['no permissions', projectRobot('team', 'x', repo('pull'), { permissions: [] })],
      ['an unknown action', projectRobot('team', 'x', [{ resource: 'repository', action: 'teleport' }])],
      ['an unknown resource', projectRobot('team', 'x', [{ resource: 'spaceship', action: 'pull' }])],
      ['an unknown effect', projectRobot('team', 'x', [{ resource: 'repository', action: 'pull', effect: 'maybe' }])],
      ['a weak secret', projectRobot('team', 'x', repo('pull'), { secret: 'password' })],
      ['a huge permission list', { name: 'x', level: 'system', duration: -1, permissions: Array.from({ length: 501 }, (_, i) => ({ kind: 'project', namespace: `p${i}`, access: repo('pull') })) }],
      ['too many access entries in one scope', projectRobot('team', 'x', Array.from({ length: 101 }, () => ({ resource: 'repository', action: 'pull' })))],
    ])('answers 400 for %s and creates nothing', async (_why, body) => {
      const before = await robotCount();
      const res = await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
      expect(await robotCount()).toBe(before);
    });

    it('answers 400 for malformed JSON and for an array body', async () => {
      const broken = await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).set('Content-Type', 'application/json').send('{"name": "x",');
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].code).toBe('BAD_REQUEST');
      expect((await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send([projectRobot('team', 'x', repo('pull'))])).status).toBe(400);
    });

    it('answers 413 for a body over the API limit', async () => {
      const huge = projectRobot('team', 'x', repo('pull'), { description: 'd'.repeat(2 * 1024 * 1024) });
      expect((await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send(huge)).status).toBe(413);
    });
  });

  describe('listing and reading', () => {
    it('lists a project’s robots for its project admins and maintainers, with X-Total-Count and Link', async () => {
      await create(projectRobot('team', 'list-a', repo('pull')));
      await create(projectRobot('team', 'list-b', repo('pull')));
      const res = await h.http.get('/api/v2.0/robots').query({ q: `Level=project,ProjectID=${teamId}`, page: 1, page_size: 1 }).set('Authorization', auth.maint!);
      expect(res.status).toBe(200);
      const total = Number(res.headers['x-total-count']);
      expect(total).toBeGreaterThanOrEqual(2);
      expect(res.body).toHaveLength(1);
      expect(res.headers.link).toContain('rel="next"');
      const all = await h.http.get('/api/v2.0/robots').query({ q: `Level=project,ProjectID=${teamId}`, page_size: 100 }).set('Authorization', auth.padmin!);
      const names: string[] = all.body.map((r: { name: string }) => r.name);
      expect(names).toHaveLength(total);
      expect(names.every((n) => n.startsWith('robot$team+'))).toBe(true);
      expect(all.body.every((r: Record<string, unknown>) => r.secret === undefined)).toBe(true);
    });

    it('filters by name', async () => {
      const res = await h.http.get('/api/v2.0/robots').query({ q: `ProjectID=${teamId},name=~list-` }).set('Authorization', asAdmin);
      expect(res.body.map((r: { name: string }) => r.name).sort()).toEqual(['robot$team+list-a', 'robot$team+list-b']);
      const byLogin = await h.http.get('/api/v2.0/robots').query({ q: `ProjectID=${teamId},name=robot$team+list-a` }).set('Authorization', asAdmin);
      expect(byLogin.body.map((r: { name: string }) => r.name)).toEqual(['robot$team+list-a']);
    });

    it('refuses listing another project’s robots, all robots to non-admins, and anonymous callers', async () => {
      expect((await h.http.get('/api/v2.0/robots').query({ q: `ProjectID=${otherId}` }).set('Authorization', auth.padmin!)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/robots').set('Authorization', auth.padmin!)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/robots')).status).toBe(401);
      expect((await h.http.get('/api/v2.0/robots').query({ q: 'ProjectID=abc' }).set('Authorization', asAdmin)).status).toBe(400);
      expect((await h.http.get('/api/v2.0/robots').query({ q: 'secret=x' }).set('Authorization', asAdmin)).status).toBe(400);
    });

    it('lets system admins list everything', async () => {
      const res = await h.http.get('/api/v2.0/robots').query({ page_size: 100 }).set('Authorization', asAdmin);
      expect(res.status).toBe(200);
      expect(res.body.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['robot$ci', 'robot$other+twin']));
    });

    it('keeps another project’s robots out of reach: GET, PUT, PATCH and DELETE answer 403', async () => {
      const theirs = await create(projectRobot('other', 'private-bot', repo('pull')));
      const url = `/api/v2.0/robots/${theirs.id}`;
      expect((await h.http.get(url).set('Authorization', auth.padmin!)).status).toBe(403);
      expect((await h.http.put(url).set('Authorization', auth.padmin!).send({ ...projectRobot('other', 'private-bot', repo('pull', 'push')) })).status).toBe(403);
      expect((await h.http.patch(url).set('Authorization', auth.padmin!).send({})).status).toBe(403);
      expect((await h.http.delete(url).set('Authorization', auth.padmin!)).status).toBe(403);
      expect((await h.http.get(url).set('Authorization', auth.otheradmin!)).status).toBe(200);
    });

    it('answers 404 for an unknown robot and 400 for a malformed id', async () => {
      expect((await h.http.get('/api/v2.0/robots/999999').set('Authorization', asAdmin)).status).toBe(404);
      expect((await h.http.get('/api/v2.0/robots/abc').set('Authorization', asAdmin)).status).toBe(400);
      expect((await h.http.get('/api/v2.0/robots/..%2F1').set('Authorization', asAdmin)).status).toBe(400);
    });
  });

  describe('logging in', () => {
    it('lets a robot call the API with Basic auth, with exactly its permissions', async () => {
      const reader = await create(projectRobot('team', 'reader', [{ resource: 'project', action: 'read' }, ...repo('pull')]));
      const robotAuth = basic(reader.name, reader.secret);
      expect((await h.http.get('/api/v2.0/projects/team').set('Authorization', robotAuth)).status).toBe(200);
      expect((await h.http.get('/api/v2.0/projects/team/members').set('Authorization', robotAuth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/projects/other').set('Authorization', robotAuth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', robotAuth)).status).toBe(403);
      expect((await h.http.delete('/api/v2.0/projects/team').set('Authorization', robotAuth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/projects/team').set('Authorization', basic(reader.name, 'Wr0ngSecret1'))).status).toBe(401);
    });

    it('grants a robot’s token exactly its repository actions, named after the robot', async () => {
      const puller = await create(projectRobot('team', 'puller', repo('pull')));
      const pusher = await create(projectRobot('team', 'pusher', repo('pull', 'push')));
      const pullerAuth = basic(puller.name, puller.secret);
      expect(await tokenActions(pullerAuth, 'repository:team/app:pull,push,delete,*')).toEqual({ status: 200, actions: ['pull'], sub: 'robot$team+puller' });
      expect((await tokenActions(basic(pusher.name, pusher.secret), 'repository:team/app:pull,push,delete,*')).actions).toEqual(['pull', 'push']);
      expect((await tokenActions(pullerAuth, 'repository:other/app:pull')).actions).toEqual([]);
      expect((await tokenActions(pullerAuth, 'registry:catalog:*')).actions).toEqual([]);
      const form = await h.http.post('/service/token').type('form').send({ grant_type: 'password', username: puller.name, password: puller.secret, service: 'harbor-registry', scope: 'repository:team/app:pull,push' });
      expect(form.status).toBe(200);
      expect(claimsOf(form.body.token).access[0]!.actions).toEqual(['pull']);
    });

    it('gives a system robot its actions in every project when its namespace is *', async () => {
      const ci = await create({ name: 'everywhere', level: 'system', duration: -1, permissions: [{ kind: 'project', namespace: '*', access: repo('pull', 'push') }] });
      for (const project of ['team', 'other']) {
        expect((await tokenActions(basic(ci.name, ci.secret), `repository:${project}/app:pull,push,delete`)).actions).toEqual(['pull', 'push']);
      }
    });

    it('refuses an expired robot', async () => {
      const robot = await create(projectRobot('team', 'shortlived', repo('pull'), { duration: 1 }));
      const robotAuth = basic(robot.name, robot.secret);
      expect((await tokenActions(robotAuth, 'repository:team/app:pull')).actions).toEqual(['pull']);
      await h.database.db.updateTable('robot').set({ expires_at: Math.floor(Date.now() / 1000) - 1 }).where('id', '=', robot.id).execute();
      expect((await tokenActions(robotAuth, 'repository:team/app:pull')).status).toBe(401);
      expect((await h.http.get('/api/v2.0/projects/team').set('Authorization', robotAuth)).status).toBe(401);
    });

    it('refuses a disabled robot, and accepts it again once enabled', async () => {
      const robot = await create(projectRobot('team', 'switch', repo('pull')));
      const robotAuth = basic(robot.name, robot.secret);
      const put = (disable: boolean) =>
        h.http.put(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!).send({ ...projectRobot('team', 'switch', repo('pull')), name: robot.name, disable });
      expect((await put(true)).status).toBe(200);
      expect((await tokenActions(robotAuth, 'repository:team/app:pull')).status).toBe(401);
      expect((await put(false)).status).toBe(200);
      expect((await tokenActions(robotAuth, 'repository:team/app:pull')).actions).toEqual(['pull']);
    });

    it('refuses robots at the portal login', async () => {
      const robot = await create(projectRobot('team', 'noportal', repo('pull')));
      expect((await h.http.post('/c/login').type('form').send({ principal: robot.name, password: robot.secret })).status).toBe(401);
    });
  });

  describe('changing', () => {
    it('updates description and permissions (PUT), and tokens follow at once', async () => {
      const robot = await create(projectRobot('team', 'grower', repo('pull')));
      const robotAuth = basic(robot.name, robot.secret);
      expect((await tokenActions(robotAuth, 'repository:team/app:pull,push')).actions).toEqual(['pull']);
      const res = await h.http.put(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!).send(projectRobot('team', 'grower', repo('pull', 'push'), { description: 'now pushes' }));
      expect(res.status).toBe(200);
      const got = await h.http.get(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!);
      expect(got.body.description).toBe('now pushes');
      expect(got.body.permissions[0].access.map((a: Access) => a.action)).toEqual(['pull', 'push']);
      expect((await tokenActions(robotAuth, 'repository:team/app:pull,push')).actions).toEqual(['pull', 'push']);
    });

    it('refuses renaming, changing the level, or moving a project robot to another project', async () => {
      const robot = await create(projectRobot('team', 'fixed', repo('pull')));
      const url = `/api/v2.0/robots/${robot.id}`;
      expect((await h.http.put(url).set('Authorization', asAdmin).send(projectRobot('team', 'renamed', repo('pull')))).status).toBe(400);
      expect((await h.http.put(url).set('Authorization', asAdmin).send(projectRobot('team', 'fixed', repo('pull'), { level: 'system' }))).status).toBe(400);
      expect((await h.http.put(url).set('Authorization', asAdmin).send(projectRobot('other', 'fixed', repo('pull')))).status).toBe(400);
      expect((await h.http.put(url).set('Authorization', auth.dev!).send(projectRobot('team', 'fixed', repo('pull', 'push')))).status).toBe(403);
      const got = await h.http.get(`/api/v2.0/robots/${robot.id}`).set('Authorization', asAdmin);
      expect(got.body.permissions[0].access).toEqual([{ resource: 'repository', action: 'pull', effect: 'allow' }]);
    });

    it('refreshes the secret (PATCH): the new one is shown once and works, the old one stops working', async () => {
      const robot = await create(projectRobot('team', 'rotator', repo('pull')));
      const res = await h.http.patch(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!).send({});
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['secret']);
      expect(res.body.secret).not.toBe(robot.secret);
      expect((await tokenActions(basic(robot.name, robot.secret), 'repository:team/app:pull')).status).toBe(401);
      expect((await tokenActions(basic(robot.name, res.body.secret), 'repository:team/app:pull')).actions).toEqual(['pull']);
    });

    it('accepts a chosen secret that meets the password rule, and refuses a weak one', async () => {
      const robot = await create(projectRobot('team', 'chosen', repo('pull')));
      const url = `/api/v2.0/robots/${robot.id}`;
      const weak = await h.http.patch(url).set('Authorization', asAdmin).send({ secret: 'weak' });
      expect(weak.status).toBe(400);
      expect((await tokenActions(basic(robot.name, robot.secret), 'repository:team/app:pull')).actions).toEqual(['pull']);
      expect((await h.http.patch(url).set('Authorization', asAdmin).send({ secret: 42 })).status).toBe(400);
      const chosen = await h.http.patch(url).set('Authorization', asAdmin).send({ secret: 'Chosen5ecret' });
      expect(chosen.status).toBe(200);
      expect(chosen.body.secret).toBe('Chosen5ecret');
      expect((await tokenActions(basic(robot.name, 'Chosen5ecret'), 'repository:team/app:pull')).actions).toEqual(['pull']);
    });

    it('leaves a deleted project’s robots unreachable, even when a project of the same name comes back', async () => {
      await createProject(h, 'ephemeral', asAdmin, false);
      const robot = await create(projectRobot('ephemeral', 'bot', repo('pull')));
      expect((await tokenActions(basic(robot.name, robot.secret), 'repository:ephemeral/app:pull')).actions).toEqual(['pull']);
      expect((await h.http.delete('/api/v2.0/projects/ephemeral').set('Authorization', asAdmin)).status).toBe(200);
      expect((await h.http.get(`/api/v2.0/robots/${robot.id}`).set('Authorization', asAdmin)).status).toBe(404);
      await createProject(h, 'ephemeral', asAdmin, false);
      expect((await tokenActions(basic(robot.name, robot.secret), 'repository:ephemeral/app:pull')).status).toBe(401);
      const all = await h.http.get('/api/v2.0/robots').query({ page_size: 100 }).set('Authorization', asAdmin);
      expect(all.body.map((r: { id: number }) => r.id)).not.toContain(robot.id);
    });

    it('deletes a robot: gone from the API and unable to log in', async () => {
      const robot = await create(projectRobot('team', 'doomed', repo('pull')));
      expect((await h.http.delete(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.dev!)).status).toBe(403);
      expect((await h.http.delete(`/api/v2.0/robots/${robot.id}`).set('Authorization', auth.padmin!)).status).toBe(200);
      expect((await h.http.get(`/api/v2.0/robots/${robot.id}`).set('Authorization', asAdmin)).status).toBe(404);
      expect((await tokenActions(basic(robot.name, robot.secret), 'repository:team/app:pull')).status).toBe(401);
      expect(await h.database.db.selectFrom('robot_permission').select('id').where('robot_id', '=', robot.id).executeTakeFirst()).toBeUndefined();
    });
  });
});
