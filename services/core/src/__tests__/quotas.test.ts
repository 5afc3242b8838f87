import { asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';
import { contractViolations } from './support/contract';
import { digestOf, insertRepository } from './support/registry-rows';

/**
 * `/quotas`: the project storage limits (the `quota` row of each project,
 * the same one project creation's storage_limit and the summary use), with
 * usage from the registry's tables; Harbor's Quota shape (checked against
 * the swagger), filters, sorting and paging; system admins only; hostile
 * limits refused.
 */
describe('/api/v2.0/quotas', () => {
  let h: Harness;
  let user: { id: number; auth: string };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startCore();
    user = await createUser(h, 'quotauser');
    ids.alpha = await createProject(h, 'alpha', user.auth);
    ids.beta = await createProject(h, 'beta', asAdmin);
    ids.gamma = await createProject(h, 'gamma', asAdmin);
    await h.http.put('/api/v2.0/projects/beta').set('Authorization', asAdmin).send({ storage_limit: 5000 }).expect(200);
    // alpha uses 1230 bytes (a layer shared by two repositories counts once), gamma 70, beta and library nothing.
    await insertRepository(h, ids.alpha, 'alpha/a', { blobs: [{ digest: digestOf('shared'), size: 1000 }, { digest: digestOf('a1'), size: 200 }], manifests: [{ digest: digestOf('ma'), size: 30 }] });
    await insertRepository(h, ids.alpha, 'alpha/b', { blobs: [{ digest: digestOf('shared'), size: 1000 }] });
    await insertRepository(h, ids.gamma, 'gamma/c', { manifests: [{ digest: digestOf('mc'), size: 70 }] });
  });
  afterAll(() => h.close());

  const list = (query: Record<string, string> = {}, auth = asAdmin) => h.http.get('/api/v2.0/quotas').query(query).set('Authorization', auth);
  const quotaIdOf = async (projectId: number): Promise<number> => (await list({ reference: 'project', reference_id: String(projectId) })).body[0].id;

  it('lists one quota per project in Harbor’s shape, with the limit and the usage', async () => {
    const res = await list({ page_size: '100' });
    expect(res.status).toBe(200);
    expect(contractViolations('GET', '/api/v2.0/quotas?page_size=100', res)).toEqual([]);
    expect(res.headers['x-total-count']).toBe('4');
    const byName = new Map((res.body as Array<{ ref: { name: string } }>).map((q) => [q.ref.name, q]));
    expect([...byName.keys()].sort()).toEqual(['alpha', 'beta', 'gamma', 'library']);
    expect(byName.get('alpha')).toEqual({
      id: expect.any(Number),
      ref: { id: ids.alpha, name: 'alpha', owner_name: 'quotauser' },
      hard: { storage: -1 },
      used: { storage: 1230 },
      creation_time: expect.any(String),
      update_time: expect.any(String),
    });
    expect(byName.get('beta')).toMatchObject({ hard: { storage: 5000 }, used: { storage: 0 } });
    expect(byName.get('gamma')).toMatchObject({ used: { storage: 70 } });
  });

  it('filters by reference and reference_id; other references and ids find nothing', async () => {
    const one = await list({ reference: 'project', reference_id: String(ids.gamma) });
    expect(one.body.map((q: { ref: { name: string } }) => q.ref.name)).toEqual(['gamma']);
    expect(one.headers['x-total-count']).toBe('1');
    const queries: Array<Record<string, string>> = [{ reference: 'artifact' }, { reference_id: 'abc' }, { reference_id: '99999999999' }, { reference_id: '424242' }];
    for (const query of queries) {
      const res = await list(query);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
    }
  });

  it('sorts by hard and used storage, either way', async () => {
    const names = async (sort: string) => {
      const res = await list({ sort, page_size: '100' });
      expect(res.status).toBe(200);
      return res.body.map((q: { ref: { name: string } }) => q.ref.name);
    };
    expect(await names('-used.storage')).toEqual(['alpha', 'gamma', 'library', 'beta']);
    expect(await names('used.storage')).toEqual(['library', 'beta', 'gamma', 'alpha']);
    expect(await names('-hard.storage')).toEqual(['beta', 'library', 'alpha', 'gamma']);
    // Sorted by usage or not, each quota shows the same usage.
    const usage = async (query: Record<string, string>) => Object.fromEntries((await list({ ...query, page_size: '100' })).body.map((q: { ref: { name: string }; used: { storage: number } }) => [q.ref.name, q.used.storage]));
    const unsorted = await usage({});
    expect(unsorted.alpha).toBe(1230);
    expect(await usage({ sort: '-used.storage' })).toEqual(unsorted);
    const bad = await list({ sort: 'name' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe('BAD_REQUEST');
  });

  it('pages with X-Total-Count and Link as other lists do', async () => {
    const first = await list({ page: '1', page_size: '3' });
    expect(first.body).toHaveLength(3);
    expect(first.headers['x-total-count']).toBe('4');
    expect(first.headers.link).toBe('</api/v2.0/quotas?page=2&page_size=3>; rel="next"');
    expect(contractViolations('GET', '/api/v2.0/quotas?page=1&page_size=3', first)).toEqual([]);
    const second = await list({ page: '2', page_size: '3' });
    expect(second.body).toHaveLength(1);
    expect(second.headers.link).toBe('</api/v2.0/quotas?page=1&page_size=3>; rel="prev"');
    expect((await list({ page: '0' })).status).toBe(400);
  });

  it('GET /quotas/{id} shows one quota; an unknown or impossible id is a 404', async () => {
    const id = await quotaIdOf(ids.alpha);
    const res = await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin);
    expect(res.status).toBe(200);
    expect(contractViolations('GET', `/api/v2.0/quotas/${id}`, res)).toEqual([]);
    expect(res.body).toMatchObject({ id, ref: { id: ids.alpha, name: 'alpha' }, used: { storage: 1230 } });
    for (const missing of ['999999', 'abc', '0', '-1', '99999999999']) {
      const gone = await h.http.get(`/api/v2.0/quotas/${missing}`).set('Authorization', asAdmin);
      expect(gone.status).toBe(404);
      expect(gone.body.errors[0].code).toBe('NOT_FOUND');
      expect(contractViolations('GET', `/api/v2.0/quotas/${missing}`, gone)).toEqual([]);
    }
  });

  it('PUT /quotas/{id} sets the project’s storage limit: the summary and project creation’s limit are the same thing', async () => {
    const id = await quotaIdOf(ids.alpha);
    const res = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { storage: 2_000_000 } });
    expect(res.status).toBe(200);
    expect(contractViolations('PUT', `/api/v2.0/quotas/${id}`, res)).toEqual([]);
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: 2_000_000 });
    const summary = await h.http.get('/api/v2.0/projects/alpha/summary').set('Authorization', user.auth);
    expect(summary.body.quota).toEqual({ hard: { storage: 2_000_000 }, used: { storage: 1230 } });
    await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { storage: -1 } }).expect(200);
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: -1 });
    // A project created with a limit shows it here.
    const made = await h.http.post('/api/v2.0/projects').set('Authorization', asAdmin).send({ project_name: 'limited', storage_limit: 4096 });
    expect(made.status).toBe(201);
    const limitedId = Number(/(\d+)$/.exec(made.headers.location!)![1]);
    expect((await list({ reference_id: String(limitedId) })).body[0].hard).toEqual({ storage: 4096 });
  });

  it.each([
    ['a zero limit', { hard: { storage: 0 } }],
    ['a negative limit other than -1', { hard: { storage: -2 } }],
    ['a fractional limit', { hard: { storage: 1.5 } }],
    ['a limit beyond what JSON carries exactly', { hard: { storage: 2 ** 60 } }],
    ['a string limit', { hard: { storage: '1024' } }],
    ['an unknown resource', { hard: { count: 10 } }],
    ['no storage', { hard: {} }],
    ['no hard', { storage: 1024 }],
    ['hard of the wrong type', { hard: [1024] }],
    ['an array body', [{ hard: { storage: 1 } }]],
  ])('PUT refuses %s with 400 and changes nothing', async (_why, body) => {
    const id = await quotaIdOf(ids.beta);
    const res = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send(body as object);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
    expect(contractViolations('PUT', `/api/v2.0/quotas/${id}`, res)).toEqual([]);
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: 5000 });
  });

  it('PUT refuses a body over the API limit with 413 in the envelope, and ignores unknown top-level keys as Harbor does', async () => {
    const id = await quotaIdOf(ids.beta);
    const huge = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { storage: 1 }, padding: 'x'.repeat(1100 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ errors: [{ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) }] });
    const many = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`r${i}`, 1])) });
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message.length).toBeLessThan(500);
    const longName = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { [`r${'x'.repeat(200_000)}`]: 1 } });
    expect(longName.status).toBe(400);
    expect(longName.body.errors[0].message.length).toBeLessThan(500);
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: 5000 });
    const extra = await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { storage: 6000 }, used: { storage: 1 }, note: 'ignored' });
    expect(extra.status).toBe(200);
    const after = (await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body;
    expect(after.hard).toEqual({ storage: 6000 });
    expect(after.used).toEqual({ storage: 0 });
    await h.http.put(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin).send({ hard: { storage: 5000 } }).expect(200);
  });

  it('ids with path tricks are no quota: 404 in the envelope, and PUT changes nothing', async () => {
    const id = await quotaIdOf(ids.beta);
    for (const trick of [`${id}%2F..`, `..%2F${id}`, `${id}.0`, `+${id}`, `0x${id.toString(16)}`, `${id}%00`, '1e1', `%20${id}`]) {
      const read = await h.http.get(`/api/v2.0/quotas/${trick}`).set('Authorization', asAdmin);
      expect(read.status).toBe(404);
      expect(read.body.errors[0].code).toBe('NOT_FOUND');
      const write = await h.http.put(`/api/v2.0/quotas/${trick}`).set('Authorization', asAdmin).send({ hard: { storage: 1 } });
      expect(write.status).toBe(404);
    }
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: 5000 });
  });

  it('PUT on a quota that does not exist: 404', async () => {
    const res = await h.http.put('/api/v2.0/quotas/999999').set('Authorization', asAdmin).send({ hard: { storage: 1 } });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe('NOT_FOUND');
  });

  it('is for system admins only: 401 anonymous, 403 users (even the project’s owner) and robots, before the body is read', async () => {
    const id = await quotaIdOf(ids.alpha);
    const robot = await h.http
      .post('/api/v2.0/robots')
      .set('Authorization', asAdmin)
      .send({ name: 'quotarobot', level: 'system', duration: -1, permissions: [{ kind: 'project', namespace: '*', access: [{ resource: 'repository', action: 'pull' }] }] });
    const robotAuth = `Basic ${Buffer.from(`${robot.body.name}:${robot.body.secret}`).toString('base64')}`;
    const send = (method: string, url: string, auth?: string) => {
      const req = method === 'GET' ? h.http.get(url) : h.http.put(url).send({ hard: 'nonsense' });
      return auth === undefined ? req : req.set('Authorization', auth);
    };
    for (const [method, url] of [['GET', '/api/v2.0/quotas'], ['GET', `/api/v2.0/quotas/${id}`], ['PUT', `/api/v2.0/quotas/${id}`]] as const) {
      const anonymous = await send(method, url);
      expect(anonymous.status).toBe(401);
      expect(contractViolations(method, url, anonymous)).toEqual([]);
      for (const auth of [user.auth, robotAuth]) {
        const res = await send(method, url, auth);
        expect(res.status).toBe(403);
        expect(res.body.errors[0].code).toBe('FORBIDDEN');
        expect(contractViolations(method, url, res)).toEqual([]);
      }
    }
    expect((await h.http.get(`/api/v2.0/quotas/${id}`).set('Authorization', asAdmin)).body.hard).toEqual({ storage: -1 });
  });
});
