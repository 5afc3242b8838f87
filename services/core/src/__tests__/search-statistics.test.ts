import { Role } from '../domain/role';
import { addMember, asAdmin, basic, createProject, createUser, Harness, startCore } from './support/core-harness';
import { digestOf, insertRepository } from './support/registry-rows';

describe('/search and /statistics', () => {
  let h: Harness;
  let member: { id: number; auth: string };
  let groupie: { id: number; auth: string };
  let stranger: { id: number; auth: string };

  beforeAll(async () => {
    h = await startCore();
    member = await createUser(h, 'member');
    groupie = await createUser(h, 'groupie');
    stranger = await createUser(h, 'stranger');
    const open = await createProject(h, 'findme-open', asAdmin, true);
    const hidden = await createProject(h, 'findme-hidden', asAdmin, false);
    const grouped = await createProject(h, 'findme-grouped', asAdmin, false);
    await addMember(h, 'findme-hidden', 'member', Role.guest);
    // groupie sees findme-grouped only through an LDAP group holding a role there.
    const group = await h.database.db
      .insertInto('user_group')
      .values({ group_name: 'devs', group_type: 1, ldap_group_dn: 'cn=devs,ou=groups,dc=example,dc=org' })
      .executeTakeFirstOrThrow();
    await h.database.db.insertInto('project_member').values({ project_id: grouped, entity_id: Number(group.insertId), entity_type: 'g', role: Role.developer }).execute();
    await h.database.db.insertInto('user_group_membership').values({ user_id: groupie.id, ldap_group_dn: 'cn=devs,ou=groups,dc=example,dc=org' }).execute();

    await insertRepository(h, open, 'findme-open/web', { pullCount: 7, blobs: [{ digest: digestOf('l1'), size: 100 }], manifests: [{ digest: digestOf('m1'), size: 10 }, { digest: digestOf('m2'), size: 10 }, { digest: digestOf('sig'), size: 5, subject: digestOf('m1') }] });
    await insertRepository(h, hidden, 'findme-hidden/db', { blobs: [{ digest: digestOf('l2'), size: 1000 }] });
    await insertRepository(h, hidden, 'findme-hidden/web-secret', { blobs: [{ digest: digestOf('l2'), size: 1000 }] });
    await insertRepository(h, grouped, 'findme-grouped/api', { blobs: [{ digest: digestOf('l3'), size: 50 }] });
  }, 60_000);
  afterAll(() => h.close());

  const search = (q: string | undefined, auth: string | null) => {
    const req = h.http.get('/api/v2.0/search').query(q === undefined ? {} : { q });
    return auth ? req.set('Authorization', auth) : req;
  };
  const projectNames = (body: { project: Array<{ name: string }> }) => body.project.map((p) => p.name).sort();
  const repositoryNames = (body: { repository: Array<{ repository_name: string }> }) => body.repository.map((r) => r.repository_name).sort();

  describe('GET /search', () => {
    it('shows anonymous callers public projects and their repositories only', async () => {
      const res = await search('findme', null);
      expect(res.status).toBe(200);
      expect(projectNames(res.body)).toEqual(['findme-open']);
      expect(repositoryNames(res.body)).toEqual(['findme-open/web']);
    });

    it('describes repositories as Harbor does, counting artifacts but not their signatures', async () => {
      const res = await search('web', null);
      expect(res.body.repository).toEqual([
        { project_id: expect.any(Number), project_name: 'findme-open', project_public: true, repository_name: 'findme-open/web', pull_count: 7, artifact_count: 2 },
      ]);
      expect(res.body.project).toEqual([]);
    });

    it('adds the private projects a user is a member of, directly or through a group', async () => {
      const asMember = await search('findme', member.auth);
      expect(projectNames(asMember.body)).toEqual(['findme-hidden', 'findme-open']);
      expect(repositoryNames(asMember.body)).toEqual(['findme-hidden/db', 'findme-hidden/web-secret', 'findme-open/web']);
      expect(asMember.body.project.find((p: { name: string }) => p.name === 'findme-hidden')).toMatchObject({ current_user_role_id: Role.guest, metadata: { public: 'false' } });
      const asGroupie = await search('findme', groupie.auth);
      expect(projectNames(asGroupie.body)).toEqual(['findme-grouped', 'findme-open']);
      expect(repositoryNames(asGroupie.body)).toEqual(['findme-grouped/api', 'findme-open/web']);
    });

    it('never shows a stranger a private name, even one searched for exactly', async () => {
      for (const q of ['findme-hidden', 'web-secret', 'findme-hidden/db']) {
        const res = await search(q, stranger.auth);
        expect({ q, body: res.body }).toEqual({ q, body: { project: [], repository: [] } });
      }
    });

    it('shows a system admin everything', async () => {
      const res = await search('findme', asAdmin);
      expect(projectNames(res.body)).toEqual(['findme-grouped', 'findme-hidden', 'findme-open']);
      expect(res.body.repository).toHaveLength(4);
    });

    it('takes LIKE wildcards and SQL literally', async () => {
      for (const q of ['%', '_', "' OR '1'='1", '\\']) {
        const res = await search(q, asAdmin);
        expect({ q, status: res.status, body: res.body }).toEqual({ q, status: 200, body: { project: [], repository: [] } });
      }
    });

    it('answers 400 without q, with q given twice, or with an absurdly long q', async () => {
      expect((await search(undefined, null)).status).toBe(400);
      expect((await h.http.get('/api/v2.0/search?q=a&q=b')).status).toBe(400);
      const long = await search('x'.repeat(10_000), null);
      expect(long.status).toBe(400);
      expect(long.body.errors[0].code).toBe('BAD_REQUEST');
    });
  });

  describe('as a robot', () => {
    async function robot(body: object): Promise<string> {
      const res = await h.http.post('/api/v2.0/robots').set('Authorization', asAdmin).send({ duration: -1, ...body });
      if (res.status !== 201) throw new Error(`creating robot: ${res.status} ${JSON.stringify(res.body)}`);
      return basic(res.body.name, res.body.secret);
    }
    const pull = [{ resource: 'repository', action: 'pull' }];

    it('sees public projects and its own project, in listings and search', async () => {
      const auth = await robot({ name: 'seer', level: 'project', permissions: [{ kind: 'project', namespace: 'findme-hidden', access: pull }] });
      const listed = await h.http.get('/api/v2.0/projects').query({ q: 'name=~findme' }).set('Authorization', auth);
      expect(listed.status).toBe(200);
      expect(listed.body.map((p: { name: string }) => p.name).sort()).toEqual(['findme-hidden', 'findme-open']);
      const found = await search('findme', auth);
      expect(projectNames(found.body)).toEqual(['findme-hidden', 'findme-open']);
      expect(repositoryNames(found.body)).toEqual(['findme-hidden/db', 'findme-hidden/web-secret', 'findme-open/web']);
    });

    it('sees the projects a system robot names, or all of them with *', async () => {
      const named = await robot({ name: 'sysnamed', level: 'system', permissions: [{ kind: 'project', namespace: 'findme-grouped', access: pull }] });
      expect(projectNames((await search('findme', named)).body)).toEqual(['findme-grouped', 'findme-open']);
      const everywhere = await robot({ name: 'sysall', level: 'system', permissions: [{ kind: 'project', namespace: '*', access: pull }] });
      expect(projectNames((await search('findme', everywhere)).body)).toEqual(['findme-grouped', 'findme-hidden', 'findme-open']);
    });
  });

  describe('GET /statistics', () => {
    const stats = (auth: string | null) => {
      const req = h.http.get('/api/v2.0/statistics');
      return auth ? req.set('Authorization', auth) : req;
    };

    it('counts everything for a system admin, storage summed per project', async () => {
      const res = await stats(asAdmin);
      expect(res.status).toBe(200);
      // library (public, empty), findme-open (public, 1 repo), findme-hidden and findme-grouped (private, 3 repos).
      expect(res.body).toEqual({
        private_project_count: 2,
        private_repo_count: 3,
        public_project_count: 2,
        public_repo_count: 1,
        total_project_count: 4,
        total_repo_count: 4,
        total_storage_consumption: 100 + 10 + 10 + 5 + 1000 + 50,
      });
    });

    it('counts only what a member may see', async () => {
      const res = await stats(member.auth);
      expect(res.body).toEqual({
        private_project_count: 1,
        private_repo_count: 2,
        public_project_count: 2,
        public_repo_count: 1,
        total_project_count: 3,
        total_repo_count: 3,
        total_storage_consumption: 100 + 10 + 10 + 5 + 1000,
      });
    });

    it('shows a stranger public numbers only', async () => {
      const res = await stats(stranger.auth);
      expect(res.body).toMatchObject({ private_project_count: 0, private_repo_count: 0, public_project_count: 2, total_project_count: 2 });
    });

    it('answers anonymous callers 401', async () => {
      const res = await stats(null);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
    });
  });
});
