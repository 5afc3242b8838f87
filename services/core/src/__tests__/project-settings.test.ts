import { Role } from '../domain/role';
import { addMember, asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';
import { digestOf, insertRepository } from './support/registry-rows';

describe('project settings, summary, deletability and listing options', () => {
  let h: Harness;
  let owner: { id: number; auth: string };
  let maintainer: { id: number; auth: string };
  let limited: { id: number; auth: string };
  let stranger: { id: number; auth: string };

  beforeAll(async () => {
    h = await startCore();
    owner = await createUser(h, 'owner');
    maintainer = await createUser(h, 'maint');
    limited = await createUser(h, 'limited');
    stranger = await createUser(h, 'stranger');
  });
  afterAll(() => h.close());

  const get = (name: string, auth = asAdmin) => h.http.get(`/api/v2.0/projects/${name}`).set('X-Is-Resource-Name', 'true').set('Authorization', auth);

  describe('PUT /projects/{project_name_or_id}', () => {
    beforeAll(async () => {
      await createProject(h, 'settings', owner.auth, false);
      await addMember(h, 'settings', 'maint', Role.maintainer, owner.auth);
    });

    it('lets the project admin change metadata and publicity; values come back as Harbor strings', async () => {
      const res = await h.http
        .put('/api/v2.0/projects/settings')
        .set('Authorization', owner.auth)
        .send({ metadata: { public: 'true', auto_scan: 'TRUE', severity: 'High', prevent_vul: 'false', enable_content_trust: 'false', enable_content_trust_cosign: 'true', reuse_sys_cve_allowlist: 'true' } });
      expect(res.status).toBe(200);
      const got = await get('settings', owner.auth);
      expect(got.body.metadata).toEqual({
        public: 'true',
        auto_scan: 'true',
        severity: 'high',
        prevent_vul: 'false',
        enable_content_trust: 'false',
        enable_content_trust_cosign: 'true',
        reuse_sys_cve_allowlist: 'true',
      });
      // Now public: an anonymous caller may read it.
      expect((await h.http.get('/api/v2.0/projects/settings')).status).toBe(200);
    });

    it('keeps keys not sent, and takes the deprecated public flag when metadata does not say', async () => {
      await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send({ public: false }).expect(200);
      const got = await get('settings', owner.auth);
      expect(got.body.metadata.public).toBe('false');
      expect(got.body.metadata.severity).toBe('high');
    });

    it('moves update_time forward', async () => {
      const before = (await get('settings', owner.auth)).body.update_time;
      await new Promise((r) => setTimeout(r, 20));
      await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send({ metadata: { auto_scan: 'false' } }).expect(200);
      expect(Date.parse((await get('settings', owner.auth)).body.update_time)).toBeGreaterThan(Date.parse(before));
    });

    it('ignores metadata keys Harbor does not know, storing nothing for them', async () => {
      await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send({ metadata: { evil: "'; DROP TABLE project;--", '../x': 'y' } }).expect(200);
      const got = await get('settings', owner.auth);
      expect(Object.keys(got.body.metadata)).not.toContain('evil');
      expect(Object.keys(got.body.metadata)).not.toContain('../x');
      const rows = await h.database.db.selectFrom('project_metadata').select('name').where('name', 'in', ['evil', '../x']).execute();
      expect(rows).toEqual([]);
    });

    it.each([
      ['a non-boolean flag', { metadata: { auto_scan: 'yes' } }],
      ['an unknown severity', { metadata: { severity: 'apocalyptic' } }],
      ['a boolean instead of a string', { metadata: { public: true } }],
      ['metadata of the wrong type', { metadata: 'public=true' }],
      ['a public flag of the wrong type', { public: 'true' }],
      ['a rename', { project_name: 'renamed' }],
      ['a zero storage limit', { storage_limit: 0 }],
      ['a fractional storage limit', { storage_limit: 1.5 }],
    ])('answers 400 for %s and changes nothing', async (_why, body) => {
      const before = (await get('settings', owner.auth)).body;
      const res = await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
      const after = (await get('settings', owner.auth)).body;
      expect(after.metadata).toEqual(before.metadata);
      expect(after.name).toBe('settings');
    });

    it('answers 400 for malformed JSON and for a body that is not an object', async () => {
      const malformed = await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).set('Content-Type', 'application/json').send('{"metadata": {');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].code).toBe('BAD_REQUEST');
      const array = await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send([1, 2]);
      expect(array.status).toBe(400);
    });

    it('refuses maintainers (403), strangers (403) and anonymous callers (401), changing nothing', async () => {
      const body = { metadata: { public: 'true' } };
      expect((await h.http.put('/api/v2.0/projects/settings').set('Authorization', maintainer.auth).send(body)).status).toBe(403);
      expect((await h.http.put('/api/v2.0/projects/settings').set('Authorization', stranger.auth).send(body)).status).toBe(403);
      expect((await h.http.put('/api/v2.0/projects/settings').send(body)).status).toBe(401);
      expect((await get('settings', owner.auth)).body.metadata.public).toBe('false');
    });

    it('answers a stranger the same 403 for a missing project, and an admin 404', async () => {
      expect((await h.http.put('/api/v2.0/projects/nosuch').set('Authorization', stranger.auth).send({ metadata: {} })).status).toBe(403);
      expect((await h.http.put('/api/v2.0/projects/nosuch').set('Authorization', asAdmin).send({ metadata: {} })).status).toBe(404);
    });

    it('lets a system admin change the storage limit, and ignores it from a project admin as Harbor does', async () => {
      await h.http.put('/api/v2.0/projects/settings').set('Authorization', owner.auth).send({ storage_limit: 1234 }).expect(200);
      expect((await h.http.get('/api/v2.0/projects/settings/summary').set('Authorization', owner.auth)).body.quota.hard).toEqual({ storage: -1 });
      await h.http.put('/api/v2.0/projects/settings').set('Authorization', asAdmin).send({ storage_limit: 1024 * 1024 }).expect(200);
      expect((await h.http.get('/api/v2.0/projects/settings/summary').set('Authorization', owner.auth)).body.quota.hard).toEqual({ storage: 1024 * 1024 });
    });
  });

  describe('GET /projects/{project_name_or_id}/summary', () => {
    let id: number;
    beforeAll(async () => {
      id = await h.http
        .post('/api/v2.0/projects')
        .set('Authorization', owner.auth)
        .send({ project_name: 'summed', storage_limit: 10_000 })
        .then((res) => Number(/(\d+)$/.exec(res.headers.location!)![1]));
      await addMember(h, 'summed', 'maint', Role.maintainer, owner.auth);
      await addMember(h, 'summed', 'limited', Role.limitedGuest, owner.auth);
      // Two repositories sharing one layer: the project stores it once.
      await insertRepository(h, id, 'summed/a', { blobs: [{ digest: digestOf('shared'), size: 1000 }, { digest: digestOf('a-only'), size: 200 }], manifests: [{ digest: digestOf('ma'), size: 30 }] });
      await insertRepository(h, id, 'summed/b', { blobs: [{ digest: digestOf('shared'), size: 1000 }], manifests: [{ digest: digestOf('mb'), size: 40 }] });
      // Another project holding the same layer does not count here.
      const other = await createProject(h, 'elsewhere', asAdmin, false);
      await insertRepository(h, other, 'elsewhere/c', { blobs: [{ digest: digestOf('shared'), size: 1000 }, { digest: digestOf('c-only'), size: 5 }] });
    });

    it('counts repositories, members per role, and the quota with usage from the registry', async () => {
      const res = await h.http.get(`/api/v2.0/projects/${id}/summary`).set('Authorization', owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        repo_count: 2,
        project_admin_count: 1,
        maintainer_count: 1,
        developer_count: 0,
        guest_count: 0,
        limited_guest_count: 1,
        quota: { hard: { storage: 10_000 }, used: { storage: 1000 + 200 + 30 + 40 } },
      });
    });

    it('leaves member counts out for a limited guest, who may not list members', async () => {
      const res = await h.http.get('/api/v2.0/projects/summed/summary').set('Authorization', limited.auth);
      expect(res.status).toBe(200);
      expect(res.body.project_admin_count).toBeUndefined();
      expect(res.body.quota.used.storage).toBe(1270);
    });

    it('is hidden from strangers (403) and anonymous callers (401) while private', async () => {
      expect((await h.http.get('/api/v2.0/projects/summed/summary').set('Authorization', stranger.auth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/projects/summed/summary')).status).toBe(401);
    });

    it('shows the repository count of a public project to anyone, without members or quota', async () => {
      const pub = await createProject(h, 'sharedpub', owner.auth, true);
      await insertRepository(h, pub, 'sharedpub/x');
      const res = await h.http.get('/api/v2.0/projects/sharedpub/summary');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ repo_count: 1 });
    });

    it('shows an unlimited quota as -1 for projects created without a limit', async () => {
      await createProject(h, 'nolimit', owner.auth);
      const res = await h.http.get('/api/v2.0/projects/nolimit/summary').set('Authorization', owner.auth);
      expect(res.body.quota).toEqual({ hard: { storage: -1 }, used: { storage: 0 } });
    });
  });

  describe('GET /projects/{project_name_or_id}/_deletable', () => {
    it('says an empty project is deletable and a busy one is not, with a reason', async () => {
      await createProject(h, 'empty', owner.auth);
      expect((await h.http.get('/api/v2.0/projects/empty/_deletable').set('Authorization', owner.auth)).body).toEqual({ deletable: true });
      const busy = await h.http.get('/api/v2.0/projects/summed/_deletable').set('Authorization', owner.auth);
      expect(busy.status).toBe(200);
      expect(busy.body.deletable).toBe(false);
      expect(busy.body.message).toMatch(/repositor/);
    });

    it('answers only those who may delete the project', async () => {
      expect((await h.http.get('/api/v2.0/projects/summed/_deletable').set('Authorization', maintainer.auth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/projects/summed/_deletable')).status).toBe(401);
    });
  });

  describe('GET /projects: q, sort, paging and details', () => {
    const names = ['zeta-list', 'alpha-list', 'mid-list'];
    beforeAll(async () => {
      for (const name of names) await createProject(h, name, owner.auth, name !== 'mid-list');
    });

    const list = (query: Record<string, string | number | undefined>, auth: string | null = asAdmin) => {
      const req = h.http.get('/api/v2.0/projects').query(query);
      return auth ? req.set('Authorization', auth) : req;
    };
    const namesOf = (body: Array<{ name: string }>) => body.map((p) => p.name);

    it('sorts by name both ways and by creation time', async () => {
      expect(namesOf((await list({ q: 'name=~-list', sort: 'name' })).body)).toEqual(['alpha-list', 'mid-list', 'zeta-list']);
      expect(namesOf((await list({ q: 'name=~-list', sort: '-name' })).body)).toEqual(['zeta-list', 'mid-list', 'alpha-list']);
      expect(namesOf((await list({ q: 'name=~-list', sort: 'creation_time' })).body)).toEqual(names);
    });

    it('filters with q on name (exact and fuzzy), public and owner', async () => {
      expect(namesOf((await list({ q: 'name=mid-list' })).body)).toEqual(['mid-list']);
      expect(namesOf((await list({ q: 'name=~-list,public=false' })).body)).toEqual(['mid-list']);
      expect((await list({ q: 'owner=owner,name=~-list' })).headers['x-total-count']).toBe('3');
      expect((await list({ q: 'owner=nobody' })).body).toEqual([]);
    });

    it('treats SQL- and LIKE-looking filters literally', async () => {
      const res = await list({ q: "name=~%' OR 1=1 --" });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect((await list({ name: '%' })).body).toEqual([]);
      expect((await list({ name: '_' })).body).toEqual([]);
    });

    it('refuses unknown sort keys and q keys with 400', async () => {
      for (const query of [{ sort: 'password' }, { sort: 'name;drop' }, { q: 'secret=1' }, { q: 'name=[a~b]' }, { with_detail: 'perhaps' }]) {
        const res = await list(query);
        expect({ query, status: res.status, code: res.body.errors?.[0]?.code }).toEqual({ query, status: 400, code: 'BAD_REQUEST' });
      }
    });

    it('serves huge page sizes 100 at a time and refuses nonsense pages', async () => {
      const big = await list({ page_size: 1_000_000 });
      expect(big.status).toBe(200);
      expect(big.body.length).toBeLessThanOrEqual(100);
      for (const query of [{ page: 0 }, { page: -1 }, { page_size: 'ten' }, { page: '99999999999999999999' }]) {
        expect((await list(query)).status).toBe(400);
      }
      expect((await list({ page: 999_999 })).body).toEqual([]);
    });

    it('paginates with X-Total-Count and Link in the chosen order', async () => {
      const res = await list({ q: 'name=~-list', sort: '-name', page: 2, page_size: 1 });
      expect(namesOf(res.body)).toEqual(['mid-list']);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers.link).toContain('rel="prev"');
      expect(res.headers.link).toContain('rel="next"');
      expect(res.headers.link).toContain('sort=-name');
    });

    it('leaves the CVE allowlist out with with_detail=false and keeps it by default', async () => {
      const brief = await list({ q: 'name=alpha-list', with_detail: 'false' });
      expect(brief.body[0].cve_allowlist).toBeUndefined();
      expect(brief.body[0]).toMatchObject({ name: 'alpha-list', owner_name: 'owner', repo_count: 0 });
      expect((await list({ q: 'name=alpha-list' })).body[0].cve_allowlist).toBeDefined();
    });

    it('never lists private projects to anonymous callers or non-members, even when asked for them', async () => {
      expect(namesOf((await list({ q: 'name=~-list' }, null)).body).sort()).toEqual(['alpha-list', 'zeta-list']);
      expect((await list({ public: 'false' }, null)).body).toEqual([]);
      expect(namesOf((await list({ public: 'false', page_size: 100 }, stranger.auth)).body)).toEqual([]);
      expect(namesOf((await list({ q: 'name=mid-list' }, stranger.auth)).body)).toEqual([]);
      expect((await list({ q: 'name=mid-list' }, stranger.auth)).headers['x-total-count']).toBe('0');
    });
  });
});
