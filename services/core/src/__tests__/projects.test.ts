import { addMember, asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';

describe('/api/v2.0/projects', () => {
  let h: Harness;
  let alice: { id: number; auth: string };
  let bob: { id: number; auth: string };

  beforeAll(async () => {
    h = await startCore();
    alice = await createUser(h, 'alice');
    bob = await createUser(h, 'bob');
  });
  afterAll(() => h.close());

  describe('POST /projects', () => {
    it('creates a project: 201 with Location, the creator is its owner and project admin', async () => {
      const res = await h.http.post('/api/v2.0/projects').set('Authorization', alice.auth).send({ project_name: 'alpha', metadata: { public: 'false' }, storage_limit: -1 });
      expect(res.status).toBe(201);
      expect(res.headers.location).toMatch(/^\/api\/v2\.0\/projects\/\d+$/);
      const got = await h.http.get(res.headers.location!).set('Authorization', alice.auth);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({
        name: 'alpha',
        owner_id: alice.id,
        owner_name: 'alice',
        deleted: false,
        repo_count: 0,
        current_user_role_id: 1,
        current_user_role_ids: [1],
        togglable: true,
        metadata: { public: 'false' },
      });
      expect(typeof got.body.project_id).toBe('number');
    });

    it('puts the name in Location when X-Resource-Name-In-Location is true', async () => {
      const res = await h.http.post('/api/v2.0/projects').set('Authorization', alice.auth).set('X-Resource-Name-In-Location', 'true').send({ project_name: 'named' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/api/v2.0/projects/named');
    });

    it('honours the deprecated public flag when metadata does not say', async () => {
      await h.http.post('/api/v2.0/projects').set('Authorization', alice.auth).send({ project_name: 'viaflag', public: true }).expect(201);
      const got = await h.http.get('/api/v2.0/projects/viaflag').set('X-Is-Resource-Name', 'true');
      expect(got.body.metadata.public).toBe('true');
    });

    it('answers 409 CONFLICT for a duplicate name and leaves the original alone', async () => {
      const res = await h.http.post('/api/v2.0/projects').set('Authorization', bob.auth).send({ project_name: 'alpha' });
      expect(res.status).toBe(409);
      expect(res.body.errors[0].code).toBe('CONFLICT');
      const members = await h.http.get('/api/v2.0/projects/alpha/members').set('Authorization', alice.auth);
      expect(members.body.map((m: { entity_name: string }) => m.entity_name)).toEqual(['alice']);
    });

    it('handles two creations racing for one name: one 201, one 409', async () => {
      const results = await Promise.all([alice.auth, bob.auth].map((auth) => h.http.post('/api/v2.0/projects').set('Authorization', auth).send({ project_name: 'race' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it.each([
      ['upper case', { project_name: 'Alpha' }],
      ['a SQL-looking name', { project_name: "x'; DROP TABLE project;--" }],
      ['a path-looking name', { project_name: '../etc' }],
      ['a name of the wrong type', { project_name: 7 }],
      ['no name', {}],
      ['a too long name', { project_name: 'a'.repeat(256) }],
      ['a public flag of the wrong type', { project_name: 'ok', public: 'yes' }],
      ['bad metadata', { project_name: 'ok', metadata: { public: 'maybe' } }],
      ['a zero storage limit', { project_name: 'ok', storage_limit: 0 }],
    ])('answers 400 for %s', async (_why, body) => {
      const res = await h.http.post('/api/v2.0/projects').set('Authorization', alice.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
    });

    it('refuses anonymous callers with 401', async () => {
      expect((await h.http.post('/api/v2.0/projects').send({ project_name: 'anon' })).status).toBe(401);
    });

    it('lets only system admins create projects when the restriction is adminonly', async () => {
      const restricted = await startCore({ config: { projectCreationRestriction: 'adminonly' } });
      try {
        const carol = await createUser(restricted, 'carol');
        expect((await restricted.http.post('/api/v2.0/projects').set('Authorization', carol.auth).send({ project_name: 'mine' })).status).toBe(403);
        expect((await restricted.http.post('/api/v2.0/projects').set('Authorization', asAdmin).send({ project_name: 'mine' })).status).toBe(201);
      } finally {
        await restricted.close();
      }
    });
  });

  describe('HEAD /projects', () => {
    it('answers signed-in callers 200 for an existing name, 404 otherwise, 400 without a name', async () => {
      expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'library' }).set('Authorization', bob.auth)).status).toBe(200);
      expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'nosuch' }).set('Authorization', bob.auth)).status).toBe(404);
      expect((await h.http.head('/api/v2.0/projects').set('Authorization', bob.auth)).status).toBe(400);
    });

    it('answers anonymous callers 401, as Harbor does, so names cannot be probed without an account', async () => {
      expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'library' })).status).toBe(401);
    });
  });

  describe('visibility', () => {
    beforeAll(async () => {
      await createProject(h, 'bobs-private', bob.auth, false);
      await createProject(h, 'bobs-public', bob.auth, true);
    });

    const names = (body: Array<{ name: string }>) => body.map((p) => p.name).sort();

    it('shows anonymous callers only public projects', async () => {
      const res = await h.http.get('/api/v2.0/projects').query({ page_size: 100 });
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['bobs-public', 'library', 'viaflag']);
      expect(res.headers['x-total-count']).toBe('3');
    });

    it('shows a user public projects plus their own', async () => {
      const res = await h.http.get('/api/v2.0/projects').query({ page_size: 100 }).set('Authorization', alice.auth);
      // `race` went to alice or bob, whoever won; the rest is fixed.
      const shown = names(res.body).filter((n) => n !== 'race');
      expect(shown).toEqual(['alpha', 'bobs-public', 'library', 'named', 'viaflag']);
    });

    it('shows a system admin everything', async () => {
      const res = await h.http.get('/api/v2.0/projects').query({ page_size: 100 }).set('Authorization', asAdmin);
      expect(names(res.body)).toEqual(expect.arrayContaining(['alpha', 'bobs-private', 'bobs-public', 'library']));
      expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
    });

    it('shows a private project to a user once they are a member', async () => {
      const dave = await createUser(h, 'dave');
      expect((await h.http.get('/api/v2.0/projects/bobs-private').set('Authorization', dave.auth)).status).toBe(403);
      await addMember(h, 'bobs-private', 'dave', 3, bob.auth);
      const res = await h.http.get('/api/v2.0/projects').query({ name: 'bobs' }).set('Authorization', dave.auth);
      expect(names(res.body)).toEqual(['bobs-private', 'bobs-public']);
      const got = await h.http.get('/api/v2.0/projects/bobs-private').set('Authorization', dave.auth);
      expect(got.body).toMatchObject({ current_user_role_id: 3, togglable: false });
    });

    it('hides a private project from anonymous callers (401) and non-members (403), who get the same for missing ones; admins get 404', async () => {
      expect((await h.http.get('/api/v2.0/projects/bobs-private')).status).toBe(401);
      const res = await h.http.get('/api/v2.0/projects/bobs-private').set('Authorization', alice.auth);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].code).toBe('FORBIDDEN');
      expect((await h.http.get('/api/v2.0/projects/nosuch').set('Authorization', alice.auth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/projects/nosuch')).status).toBe(401);
      expect((await h.http.get('/api/v2.0/projects/999999').set('Authorization', asAdmin)).status).toBe(404);
    });

    it('filters by name (substring) and public, paginates with Link', async () => {
      const pub = await h.http.get('/api/v2.0/projects').query({ public: 'false', page_size: 100 }).set('Authorization', asAdmin);
      expect(pub.body.every((p: { metadata: { public: string } }) => p.metadata.public === 'false')).toBe(true);
      const page = await h.http.get('/api/v2.0/projects').query({ page: 1, page_size: 1, name: 'bobs' }).set('Authorization', asAdmin);
      expect(page.body).toHaveLength(1);
      expect(page.headers['x-total-count']).toBe('2');
      expect(page.headers.link).toBe('</api/v2.0/projects?name=bobs&page=2&page_size=1>; rel="next"');
      const bad = await h.http.get('/api/v2.0/projects').query({ public: 'maybe' });
      expect(bad.status).toBe(400);
    });
  });

  describe('X-Is-Resource-Name', () => {
    it('reads a numeric path as an id unless the header says it is a name', async () => {
      const id = await createProject(h, '123', alice.auth, true);
      const byId = await h.http.get(`/api/v2.0/projects/${id}`);
      expect(byId.body.name).toBe('123');
      const byName = await h.http.get('/api/v2.0/projects/123').set('X-Is-Resource-Name', 'true');
      expect(byName.status).toBe(200);
      expect(byName.body.project_id).toBe(id);
      if (id !== 123) expect((await h.http.get('/api/v2.0/projects/123').set('Authorization', asAdmin)).status).toBe(404);
    });
  });

  describe('DELETE /projects/{project_name_or_id}', () => {
    it('deletes an empty project for its project admin', async () => {
      const id = await createProject(h, 'doomed', alice.auth);
      expect((await h.http.delete(`/api/v2.0/projects/${id}`).set('Authorization', alice.auth)).status).toBe(200);
      expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'doomed' }).set('Authorization', alice.auth)).status).toBe(404);
    });

    it('refuses with 412 PRECONDITION while the project holds repositories', async () => {
      const id = await createProject(h, 'busy', alice.auth);
      // The registry writes repositories; here the test plays the registry.
      await h.database.db.insertInto('repository').values({ name: 'busy/app', project_id: id, description: '' }).execute();
      const res = await h.http.delete('/api/v2.0/projects/busy').set('Authorization', alice.auth);
      expect(res.status).toBe(412);
      expect(res.body.errors[0].code).toBe('PRECONDITION');
      expect((await h.http.get('/api/v2.0/projects/busy').set('Authorization', alice.auth)).body.repo_count).toBe(1);
    });

    it('refuses non-admins of the project and anonymous callers, and says 404 for missing projects', async () => {
      const id = await createProject(h, 'kept', alice.auth, true);
      const erin = await createUser(h, 'erin');
      await addMember(h, id, 'erin', 4, alice.auth);
      expect((await h.http.delete(`/api/v2.0/projects/${id}`).set('Authorization', erin.auth)).status).toBe(403);
      expect((await h.http.delete(`/api/v2.0/projects/${id}`).set('Authorization', bob.auth)).status).toBe(403);
      expect((await h.http.delete(`/api/v2.0/projects/${id}`)).status).toBe(401);
      expect((await h.http.delete('/api/v2.0/projects/nosuch').set('Authorization', asAdmin)).status).toBe(404);
      expect((await h.http.head('/api/v2.0/projects').query({ project_name: 'kept' }).set('Authorization', alice.auth)).status).toBe(200);
    });
  });
});
