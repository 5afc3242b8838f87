import { verifyRegistryToken } from '@harbor/auth';
import { allowedActions, projectActions, splitAction, systemActions } from '../domain/permission';
import { Role } from '../domain/role';
import { addMember, asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';
import { fakeRegistry, FakeRegistry } from './support/fake-registry';
import { digestOf, insertRepository } from './support/registry-rows';

/**
 * Every role walks the API of a private project. Columns, in order:
 * projectAdmin, maintainer, developer, guest, limitedGuest, system admin,
 * signed-in outsider, anonymous. 'x' = allowed. Written by hand from
 * Harbor's policies, so the API is held to them and not to itself.
 */
const who = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest', 'sysadmin', 'outsider', 'anonymous'] as const;
type Who = (typeof who)[number];

const walk: Record<string, string> = {
  'read the project': 'xxxxxx..',
  'update the project': 'x....x..',
  'list members': 'xxxx.x..',
  'read a member': 'xxxx.x..',
  'add a member': 'x....x..',
  'change a member role': 'x....x..',
  'remove a member': 'x....x..',
  'see member counts in the summary': 'xxxx.x..',
  'see the quota in the summary': 'xxxxxx..',
  'ask whether it is deletable': 'x....x..',
  'delete the project': 'x....x..',
  'pull (token)': 'xxxxxx..',
  'push (token)': 'xxx..x..',
  'delete (token)': 'xx...x..',
  '* (token)': 'xx...x..',
  'list repositories': 'xxxxxx..',
  'delete a repository': 'xx...x..',
  'delete an artifact': 'xx...x..',
  'add a tag': 'xxx..x..',
  'delete a tag': 'xx...x..',
};

const roleOf: Partial<Record<Who, number>> = {
  projectAdmin: Role.projectAdmin,
  maintainer: Role.maintainer,
  developer: Role.developer,
  guest: Role.guest,
  limitedGuest: Role.limitedGuest,
};

describe('the permission matrix, applied through the API and the token service', () => {
  let h: Harness;
  const auth: Partial<Record<Who, string>> = { sysadmin: asAdmin };
  let projectId: number;
  let bystander: number;
  let registry: FakeRegistry;
  const artifact = digestOf('matrix-artifact');

  beforeAll(async () => {
    // Changes to what the registry holds go through it: a stand-in answers and records them.
    registry = await fakeRegistry();
    h = await startCore({ config: { registryUrl: registry.url } });
    projectId = await createProject(h, 'matrix', asAdmin, false);
    const repositoryId = await insertRepository(h, projectId, 'matrix/app', { manifests: [{ digest: artifact, size: 100 }] });
    await h.database.db.insertInto('tag').values({ repository_id: repositoryId, name: 'v1', manifest_digest: artifact }).execute();
    for (const name of who) {
      if (name === 'sysadmin' || name === 'anonymous') continue;
      auth[name] = (await createUser(h, name.toLowerCase())).auth;
      const role = roleOf[name];
      if (role !== undefined) await addMember(h, 'matrix', name.toLowerCase(), role);
    }
    bystander = (await createUser(h, 'bystander')).id;
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await registry.close();
  });

  const as = (name: Who) => (req: import('supertest').Test) => (auth[name] ? req.set('Authorization', auth[name]!) : req);
  const deniedStatus = (name: Who) => (name === 'anonymous' ? 401 : 403);

  async function tokenActions(name: Who, action: string): Promise<string[]> {
    const res = await as(name)(h.http.get('/service/token').query({ service: 'harbor-registry', scope: `repository:matrix/app:${action}` }));
    expect(res.status).toBe(200);
    const claims = verifyRegistryToken(res.body.token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
    return claims.access[0]?.actions ?? [];
  }

  /** Adds the bystander as a guest (as admin) and returns the member id, for the member cases. */
  async function bystanderMember(): Promise<number> {
    const list = await h.http.get('/api/v2.0/projects/matrix/members').query({ entityname: 'bystander' }).set('Authorization', asAdmin);
    const existing = (list.body as Array<{ id: number; entity_name: string }>).find((m) => m.entity_name === 'bystander');
    if (existing) return existing.id;
    return addMember(h, 'matrix', 'bystander', Role.guest);
  }

  async function removeBystander(): Promise<void> {
    const list = await h.http.get('/api/v2.0/projects/matrix/members').query({ entityname: 'bystander' }).set('Authorization', asAdmin);
    for (const m of list.body as Array<{ id: number; entity_name: string }>) {
      if (m.entity_name === 'bystander') await h.http.delete(`/api/v2.0/projects/matrix/members/${m.id}`).set('Authorization', asAdmin).expect(200);
    }
  }

  /** Runs one case for one caller; returns whether it was allowed, and checks the refusal's status. */
  const attempts: Record<string, (name: Who) => Promise<boolean>> = {
    'read the project': async (name) => status(name, await as(name)(h.http.get('/api/v2.0/projects/matrix').set('X-Is-Resource-Name', 'true'))),
    'update the project': async (name) =>
      status(name, await as(name)(h.http.put(`/api/v2.0/projects/${projectId}`).send({ metadata: { auto_scan: 'true' } }))),
    'list members': async (name) => status(name, await as(name)(h.http.get('/api/v2.0/projects/matrix/members'))),
    'read a member': async (name) => status(name, await as(name)(h.http.get(`/api/v2.0/projects/matrix/members/${await bystanderMember()}`))),
    'add a member': async (name) => {
      await removeBystander();
      const res = await as(name)(h.http.post('/api/v2.0/projects/matrix/members').send({ role_id: Role.guest, member_user: { user_id: bystander } }));
      const allowed = status(name, res, 201);
      const after = await h.http.get('/api/v2.0/projects/matrix/members').query({ entityname: 'bystander' }).set('Authorization', asAdmin);
      expect(after.body.some((m: { entity_name: string }) => m.entity_name === 'bystander')).toBe(allowed);
      return allowed;
    },
    'change a member role': async (name) => {
      const id = await bystanderMember();
      const allowed = status(name, await as(name)(h.http.put(`/api/v2.0/projects/matrix/members/${id}`).send({ role_id: Role.developer })));
      const after = await h.http.get(`/api/v2.0/projects/matrix/members/${id}`).set('Authorization', asAdmin);
      expect(after.body.role_id === Role.developer).toBe(allowed);
      await h.http.put(`/api/v2.0/projects/matrix/members/${id}`).set('Authorization', asAdmin).send({ role_id: Role.guest }).expect(200);
      return allowed;
    },
    'remove a member': async (name) => {
      const id = await bystanderMember();
      const allowed = status(name, await as(name)(h.http.delete(`/api/v2.0/projects/matrix/members/${id}`)));
      const after = await h.http.get(`/api/v2.0/projects/matrix/members/${id}`).set('Authorization', asAdmin);
      expect(after.status).toBe(allowed ? 404 : 200);
      return allowed;
    },
    'see member counts in the summary': async (name) => {
      const res = await as(name)(h.http.get('/api/v2.0/projects/matrix/summary'));
      if (!status(name, res)) return false;
      return res.body.project_admin_count !== undefined;
    },
    'see the quota in the summary': async (name) => {
      const res = await as(name)(h.http.get('/api/v2.0/projects/matrix/summary'));
      if (!status(name, res)) return false;
      return res.body.quota !== undefined;
    },
    'ask whether it is deletable': async (name) => status(name, await as(name)(h.http.get('/api/v2.0/projects/matrix/_deletable'))),
    'delete the project': async (name) => {
      // A project of its own per caller, with the caller in the same role, so a success deletes nothing shared.
      const doomed = `doomed-${name.toLowerCase()}`;
      const id = await createProject(h, doomed, asAdmin, false);
      const role = roleOf[name];
      if (role !== undefined) await addMember(h, doomed, name.toLowerCase(), role);
      const allowed = status(name, await as(name)(h.http.delete(`/api/v2.0/projects/${id}`)));
      expect((await h.http.get(`/api/v2.0/projects/${id}`).set('Authorization', asAdmin)).status).toBe(allowed ? 404 : 200);
      return allowed;
    },
    'pull (token)': async (name) => (await tokenActions(name, 'pull')).includes('pull'),
    'push (token)': async (name) => (await tokenActions(name, 'push')).includes('push'),
    'delete (token)': async (name) => (await tokenActions(name, 'delete')).includes('delete'),
    '* (token)': async (name) => (await tokenActions(name, '*')).includes('*'),
    'list repositories': async (name) => status(name, await as(name)(h.http.get('/api/v2.0/projects/matrix/repositories'))),
    'delete a repository': async (name) =>
      throughRegistry(name, () => as(name)(h.http.delete('/api/v2.0/projects/matrix/repositories/app')), 200, 'POST /internal/repositories/delete'),
    'delete an artifact': async (name) =>
      throughRegistry(name, () => as(name)(h.http.delete(`/api/v2.0/projects/matrix/repositories/app/artifacts/${artifact}`)), 200, `DELETE /v2/matrix/app/manifests/${artifact}`),
    'add a tag': async (name) =>
      throughRegistry(name, () => as(name)(h.http.post(`/api/v2.0/projects/matrix/repositories/app/artifacts/${artifact}/tags`).send({ name: 'v2' })), 201, 'PUT /v2/matrix/app/manifests/v2'),
    'delete a tag': async (name) =>
      throughRegistry(name, () => as(name)(h.http.delete(`/api/v2.0/projects/matrix/repositories/app/artifacts/${artifact}/tags/v1`)), 200, 'DELETE /v2/matrix/app/manifests/v1'),
  };

  /** Allowed: the API answers `ok` and the registry got exactly the expected call. Refused: the registry heard nothing. */
  async function throughRegistry(name: Who, send: () => PromiseLike<{ status: number; body: unknown }>, ok: number, expectedCall: string): Promise<boolean> {
    registry.calls.length = 0;
    const allowed = status(name, await send(), ok);
    expect(registry.calls).toEqual(allowed ? [expectedCall] : []);
    return allowed;
  }

  function status(name: Who, res: { status: number; body: unknown }, ok = 200): boolean {
    if (res.status === ok) return true;
    expect({ status: res.status, body: res.body }).toEqual({ status: deniedStatus(name), body: { errors: [{ code: expect.any(String), message: expect.any(String) }] } });
    return false;
  }

  const cells = Object.entries(walk).flatMap(([operation, mask]) => who.map((name, i) => ({ operation, name, allowed: mask[i] === 'x' })));

  it.each(cells)('$name: $operation → $allowed', async ({ operation, name, allowed }) => {
    expect(await attempts[operation]!(name)).toBe(allowed);
  });

  describe('GET /users/current/permissions', () => {
    const members = who.filter((name) => roleOf[name] !== undefined);

    it.each(members)('lists exactly what a %s holds in the project, relative to the scope', async (name) => {
      const res = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${projectId}`, relative: true }).set('Authorization', auth[name]!);
      expect(res.status).toBe(200);
      const expected = [...allowedActions({ sysadmin: false, roles: [roleOf[name]!], isPublic: false })].map((a) => {
        const { resource, action } = splitAction(a);
        return { resource: resource === 'project' ? '.' : resource, action };
      });
      expect(sortPermissions(res.body)).toEqual(sortPermissions(expected));
    });

    it('gives absolute resources without relative, and narrows to a sub-resource scope', async () => {
      const absolute = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${projectId}` }).set('Authorization', auth.developer!);
      expect(absolute.body).toContainEqual({ resource: `/project/${projectId}/repository`, action: 'push' });
      expect(absolute.body).toContainEqual({ resource: `/project/${projectId}`, action: 'read' });
      const narrowed = await h.http
        .get('/api/v2.0/users/current/permissions')
        .query({ scope: `/project/${projectId}/repository`, relative: 'true' })
        .set('Authorization', auth.developer!);
      expect(sortPermissions(narrowed.body)).toEqual(sortPermissions(['create', 'read', 'update', 'list', 'pull', 'push'].map((action) => ({ resource: '.', action }))));
    });

    it('gives a system admin every project and system policy, and others no system policy', async () => {
      const project = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${projectId}`, relative: true }).set('Authorization', asAdmin);
      expect(project.body).toHaveLength(projectActions.length);
      const system = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: '/system', relative: true }).set('Authorization', asAdmin);
      expect(system.body).toHaveLength(systemActions.length);
      expect(system.body).toContainEqual({ resource: 'user', action: 'create' });
      const notAdmin = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: '/system' }).set('Authorization', auth.projectAdmin!);
      expect(notAdmin.body).toEqual([]);
    });

    it('says nothing about projects the caller may not see, or that do not exist', async () => {
      for (const scope of [`/project/${projectId}`, '/project/999999', '/project/0', '/project/abc', '/nonsense', '', '/project/1/../../system']) {
        const res = await h.http.get('/api/v2.0/users/current/permissions').query({ scope }).set('Authorization', auth.outsider!);
        expect({ scope, status: res.status, body: res.body }).toEqual({ scope, status: 200, body: [] });
      }
    });

    it('gives an outsider the public policies of a public project', async () => {
      const id = await createProject(h, 'open', asAdmin, true);
      const res = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${id}`, relative: true }).set('Authorization', auth.outsider!);
      expect(res.body).toContainEqual({ resource: 'repository', action: 'pull' });
      expect(res.body).not.toContainEqual({ resource: 'repository', action: 'push' });
    });

    it('answers anonymous callers 401 and a bad relative flag 400', async () => {
      expect((await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${projectId}` })).status).toBe(401);
      const bad = await h.http.get('/api/v2.0/users/current/permissions').query({ scope: `/project/${projectId}`, relative: 'perhaps' }).set('Authorization', asAdmin);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].code).toBe('BAD_REQUEST');
    });
  });
});

function sortPermissions(list: Array<{ resource: string; action: string }>): string[] {
  return list.map((p) => `${p.resource} ${p.action}`).sort();
}
