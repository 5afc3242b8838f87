import { Role } from '../domain/role';
import { addMember, asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';
import { contractViolations } from './support/contract';

/**
 * `/projects/{p}/metadatas`: Harbor's metadata:read/create/update/delete
 * (project admins and maintainers; not developers, guests, strangers or
 * anonymous callers), one known name at a time with values checked by the
 * same rule as PUT /projects (and visible there), 409 for a name already
 * set, and every answer checked against the swagger.
 */
describe('/api/v2.0/projects/{project_name_or_id}/metadatas', () => {
  let h: Harness;
  let projectId: number;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    h = await startCore();
    for (const name of ['padmin', 'maint', 'dev', 'guest', 'stranger']) auth[name] = (await createUser(h, name)).auth;
    projectId = await createProject(h, 'meta', auth.padmin!, false);
    await addMember(h, 'meta', 'maint', Role.maintainer);
    await addMember(h, 'meta', 'dev', Role.developer);
    await addMember(h, 'meta', 'guest', Role.guest);
  });
  afterAll(() => h.close());

  const base = () => `/api/v2.0/projects/${projectId}/metadatas`;
  const checked = (method: string, url: string, res: import('supertest').Response) => {
    expect(contractViolations(method, url, res)).toEqual([]);
    return res;
  };
  const list = async (as = auth.padmin!) => checked('GET', `${base()}/`, await h.http.get(`${base()}/`).set('Authorization', as));
  const getOne = async (name: string, as = auth.padmin!) => checked('GET', `${base()}/${name}`, await h.http.get(`${base()}/${name}`).set('Authorization', as));
  const post = async (body: unknown, as = auth.padmin!) => checked('POST', `${base()}/`, await h.http.post(`${base()}/`).set('Authorization', as).send(body as object));
  const put = async (name: string, body: unknown, as = auth.padmin!) => checked('PUT', `${base()}/${name}`, await h.http.put(`${base()}/${name}`).set('Authorization', as).send(body as object));
  const del = async (name: string, as = auth.padmin!) => checked('DELETE', `${base()}/${name}`, await h.http.delete(`${base()}/${name}`).set('Authorization', as));
  const storedNames = async () =>
    (await h.database.db.selectFrom('project_metadata').select('name').where('project_id', '=', projectId).orderBy('name').execute()).map((r) => r.name);

  it('lists the metadata (public always shown) to project admins, maintainers and system admins, by id or by name', async () => {
    expect((await list()).body).toEqual({ public: 'false' });
    expect((await list(auth.maint)).body).toEqual({ public: 'false' });
    expect((await list(asAdmin)).status).toBe(200);
    const byName = await h.http.get('/api/v2.0/projects/meta/metadatas').set('X-Is-Resource-Name', 'true').set('Authorization', auth.padmin!);
    expect(byName.status).toBe(200);
    expect(byName.body).toEqual({ public: 'false' });
  });

  it('POST adds one known name; its value is normalised and shows in the project too', async () => {
    const res = await post({ auto_scan: 'TRUE' }, auth.maint);
    expect(res.status).toBe(200);
    expect((await getOne('auto_scan')).body).toEqual({ auto_scan: 'true' });
    const project = await h.http.get(`/api/v2.0/projects/${projectId}`).set('Authorization', auth.padmin!);
    expect(project.body.metadata).toEqual({ public: 'false', auto_scan: 'true' });
  });

  it('POST of a name already set is a 409, public included', async () => {
    for (const body of [{ auto_scan: 'false' }, { public: 'true' }]) {
      const res = await post(body);
      expect(res.status).toBe(409);
      expect(res.body.errors[0].code).toBe('CONFLICT');
    }
    expect((await getOne('auto_scan')).body).toEqual({ auto_scan: 'true' });
  });

  it.each([
    ['two names at once', { prevent_vul: 'true', severity: 'low' }],
    ['no name', {}],
    ['an unknown name', { evil: 'true' }],
    ['a prototype name', JSON.parse('{"__proto__": "true"}')],
    ['a boolean instead of a string', { prevent_vul: true }],
    ['a flag that is not true or false', { prevent_vul: 'yes' }],
    ['an unknown severity', { severity: 'apocalyptic' }],
    ['a very long value', { severity: 'x'.repeat(10_000) }],
    ['an array body', [{ prevent_vul: 'true' }]],
  ])('POST refuses %s with 400 and stores nothing', async (_why, body) => {
    const before = await storedNames();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
    expect(await storedNames()).toEqual(before);
  });

  it('PUT sets the named value, set before or not; the body must name the path’s name', async () => {
    expect((await put('severity', { severity: 'High' }, auth.maint)).status).toBe(200);
    expect((await getOne('severity')).body).toEqual({ severity: 'high' });
    expect((await put('auto_scan', { auto_scan: 'false' })).status).toBe(200);
    expect((await getOne('auto_scan')).body).toEqual({ auto_scan: 'false' });
    for (const [name, body] of [
      ['auto_scan', { prevent_vul: 'true' }],
      ['auto_scan', { auto_scan: 'false', prevent_vul: 'true' }],
      ['auto_scan', { auto_scan: 'maybe' }],
      ['evil', { evil: 'true' }],
      ['severity', 'high'],
    ] as const) {
      const res = await put(name, body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('BAD_REQUEST');
    }
    expect(await storedNames()).toEqual(['auto_scan', 'public', 'severity']);
  });

  it('PUT public makes the project public for anonymous callers', async () => {
    await put('public', { public: 'true' }, auth.maint);
    expect((await h.http.get(`/api/v2.0/projects/${projectId}`)).status).toBe(200);
    await put('public', { public: 'false' });
    expect((await h.http.get(`/api/v2.0/projects/${projectId}`)).status).toBe(401);
  });

  it('DELETE removes a name (404 once gone); public and unknown names cannot be deleted', async () => {
    expect((await del('severity', auth.maint)).status).toBe(200);
    const gone = await getOne('severity');
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0].code).toBe('NOT_FOUND');
    expect((await del('severity')).status).toBe(404);
    expect((await del('public')).status).toBe(400);
    expect((await del('evil')).status).toBe(400);
    expect((await getOne('evil')).status).toBe(404);
    expect(await storedNames()).toEqual(['auto_scan', 'public']);
  });

  it('developers, guests and strangers get 403, anonymous callers 401 — before any body rule; nothing changes', async () => {
    const before = await storedNames();
    for (const as of [auth.dev!, auth.guest!, auth.stranger!]) {
      expect((await list(as)).status).toBe(403);
      expect((await getOne('auto_scan', as)).status).toBe(403);
      expect((await post({ prevent_vul: 'true' }, as)).status).toBe(403);
      expect((await post({ evil: 'x', other: 1 }, as)).status).toBe(403);
      expect((await put('auto_scan', { auto_scan: 'true' }, as)).status).toBe(403);
      expect((await del('auto_scan', as)).status).toBe(403);
    }
    const anonymous = [
      checked('GET', `${base()}/`, await h.http.get(`${base()}/`)),
      checked('POST', `${base()}/`, await h.http.post(`${base()}/`).send({ prevent_vul: 'true' })),
      checked('PUT', `${base()}/auto_scan`, await h.http.put(`${base()}/auto_scan`).send({ auto_scan: 'true' })),
      checked('DELETE', `${base()}/auto_scan`, await h.http.delete(`${base()}/auto_scan`)),
    ];
    for (const res of anonymous) expect(res.status).toBe(401);
    expect(await storedNames()).toEqual(before);
    expect((await getOne('auto_scan')).body).toEqual({ auto_scan: 'false' });
  });

  it.each([
    ['a prototype key', JSON.parse('{"__proto__": "true"}')],
    ['a constructor key', { constructor: 'true' }],
    ['a boolean for a string', { auto_scan: true }],
    ['a number for a string', { auto_scan: 1 }],
    ['an object for a string', { auto_scan: { $ne: '' } }],
    ['an array for a string', { auto_scan: ['true'] }],
    ['a very long value', { severity: 'x'.repeat(100_000) }],
    ['an empty body', {}],
  ])('POST and PUT refuse %s with 400 in the envelope; nothing stored', async (_why, body) => {
    const before = await storedNames();
    for (const res of [await post(body), await put('auto_scan', body)]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
      expect(res.body.errors[0].message.length).toBeLessThan(500);
    }
    expect(await storedNames()).toEqual(before);
  });

  it('refuses a body over the API limit with 413 in the envelope; nothing stored', async () => {
    const before = await storedNames();
    const res = await h.http.post(`${base()}/`).set('Authorization', auth.padmin!).send({ auto_scan: 'true', padding: 'x'.repeat(1100 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedNames()).toEqual(before);
  });

  it('names with path tricks or prototype names are no metadata: 404 to read, 400 to change, nothing touched', async () => {
    const before = await storedNames();
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', '..%2Fpublic', 'public%00', '%2E%2E', 'auto_scan%20']) {
      const read = await h.http.get(`${base()}/${name}`).set('Authorization', auth.padmin!);
      expect(read.status).toBe(404);
      expect(read.body.errors[0].code).toBe('NOT_FOUND');
      for (const res of [
        await h.http.put(`${base()}/${name}`).set('Authorization', auth.padmin!).send({ [decodeURIComponent(name)]: 'true' }),
        await h.http.delete(`${base()}/${name}`).set('Authorization', auth.padmin!),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.errors[0].code).toBe('BAD_REQUEST');
      }
    }
    expect(await storedNames()).toEqual(before);
  });

  it('another project: a stranger cannot tell a missing project from a private one (403); a system admin gets 404', async () => {
    const other = await createProject(h, 'othermeta', asAdmin, false);
    expect((await h.http.get(`/api/v2.0/projects/${other}/metadatas`).set('Authorization', auth.padmin!)).status).toBe(403);
    expect((await h.http.get('/api/v2.0/projects/424242/metadatas').set('Authorization', auth.padmin!)).status).toBe(403);
    const missing = await h.http.get('/api/v2.0/projects/424242/metadatas').set('Authorization', asAdmin);
    expect(missing.status).toBe(404);
    expect(contractViolations('GET', '/api/v2.0/projects/424242/metadatas/', missing)).toEqual([]);
  });
});
