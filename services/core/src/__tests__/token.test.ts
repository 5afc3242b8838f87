import { verifyRegistryToken } from '@harbor/auth';
import { addMember, asAdmin, basic, createProject, createUser, Harness, startCore } from './support/core-harness';

describe('GET /service/token', () => {
  let h: Harness;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    h = await startCore();
    await createProject(h, 'secret', asAdmin, false);
    for (const [name, role] of [['padmin', 1], ['dev', 2], ['guest', 3], ['maint', 4], ['limited', 5]] as const) {
      users[name] = (await createUser(h, name)).auth;
      await addMember(h, 'secret', name, role);
    }
    users.outsider = (await createUser(h, 'outsider')).auth;
  });
  afterAll(() => h.close());

  function claimsOf(token: string) {
    return verifyRegistryToken(token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
  }

  async function grantedActions(auth: string | null, scope: string): Promise<string[]> {
    let req = h.http.get('/service/token').query({ service: 'harbor-registry', scope });
    if (auth) req = req.set('Authorization', auth);
    const res = await req;
    expect(res.status).toBe(200);
    const claims = claimsOf(res.body.token);
    expect(claims.access).toHaveLength(1);
    return claims.access[0]!.actions;
  }

  it('answers the Docker token shape, signed for the registry with the configured lifetime', async () => {
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', scope: 'repository:library/hello:pull,push' }).set('Authorization', asAdmin);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token']);
    expect(res.body.access_token).toBe(res.body.token);
    expect(res.body.expires_in).toBe(30 * 60);
    expect(new Date(res.body.issued_at).toISOString()).toBe(res.body.issued_at);
    const claims = claimsOf(res.body.token);
    expect(claims.sub).toBe('admin');
    expect(claims.exp - Date.parse(res.body.issued_at) / 1000).toBe(30 * 60);
    expect(claims.access).toEqual([{ type: 'repository', name: 'library/hello', actions: ['pull', 'push'] }]);
    const header = JSON.parse(Buffer.from(res.body.token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('RS256');
    expect(header.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  });

  it.each([
    ['padmin', ['pull', 'push', 'delete', '*']],
    ['maint', ['pull', 'push', 'delete', '*']],
    ['dev', ['pull', 'push']],
    ['guest', ['pull']],
    ['limited', ['pull']],
    ['outsider', []],
  ])('grants %s exactly %j on a private project', async (user, actions) => {
    expect(await grantedActions(users[user]!, 'repository:secret/app:pull,push,delete,*')).toEqual(actions);
  });

  it('grants a system admin everything, member or not', async () => {
    expect(await grantedActions(asAdmin, 'repository:secret/app:pull,push,delete,*')).toEqual(['pull', 'push', 'delete', '*']);
  });

  it('grants anonymous callers nothing on a private project', async () => {
    expect(await grantedActions(null, 'repository:secret/app:pull')).toEqual([]);
  });

  it('grants anonymous callers pull, and only pull, on the public library', async () => {
    expect(await grantedActions(null, 'repository:library/hello:pull,push')).toEqual(['pull']);
  });

  it('grants a developer of another project only pull on the public library', async () => {
    expect(await grantedActions(users.dev!, 'repository:library/hello:pull,push')).toEqual(['pull']);
  });

  it('grants nothing on a project that does not exist', async () => {
    expect(await grantedActions(asAdmin, 'repository:nosuch/app:pull')).toEqual([]);
  });

  it('grants the catalog to system admins only', async () => {
    expect(await grantedActions(asAdmin, 'registry:catalog:*')).toEqual(['*']);
    expect(await grantedActions(users.padmin!, 'registry:catalog:*')).toEqual([]);
  });

  it('handles several scope parameters and several scopes in one parameter', async () => {
    const res = await h.http
      .get('/service/token?service=harbor-registry&scope=repository:secret/a:pull,push&scope=repository:library/b:pull%20repository:secret/c:delete')
      .set('Authorization', users.dev!);
    expect(claimsOf(res.body.token).access).toEqual([
      { type: 'repository', name: 'secret/a', actions: ['pull', 'push'] },
      { type: 'repository', name: 'library/b', actions: ['pull'] },
      { type: 'repository', name: 'secret/c', actions: [] },
    ]);
  });

  it('gives an anonymous token with an empty subject and no access when no scope is asked (docker login probe)', async () => {
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', account: 'whoever', client_id: 'docker', offline_token: 'true' });
    expect(res.status).toBe(200);
    const claims = claimsOf(res.body.token);
    expect(claims.sub).toBe('');
    expect(claims.access).toEqual([]);
  });

  it('answers 401 in Harbor’s envelope for a wrong password or an unknown user', async () => {
    for (const auth of [basic('dev', 'WrongPassw0rd'), basic('nobody', 'Passw0rdX'), 'Basic !!!not-base64', 'Basic ' + Buffer.from('nocolon').toString('base64')]) {
      const res = await h.http.get('/service/token').query({ service: 'harbor-registry' }).set('Authorization', auth);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
      expect(res.body.token).toBeUndefined();
    }
  });

  it('refuses tokens for another service, or none named', async () => {
    for (const query of [{ service: 'other-registry' }, {}]) {
      const res = await h.http.get('/service/token').query(query).set('Authorization', asAdmin);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('BAD_REQUEST');
    }
  });

  it('ignores malformed scopes without failing', async () => {
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', scope: ["repository:'; DROP TABLE project;--", ':::', 'repository::pull'] });
    expect(res.status).toBe(200);
    expect(claimsOf(res.body.token).access.every((a) => a.actions.length === 0)).toBe(true);
    const project = await h.database.db.selectFrom('project').select('name').execute();
    expect(project.length).toBeGreaterThan(0);
  });

  it('refuses an abusive number of scopes', async () => {
    const scope = Array.from({ length: 101 }, (_, i) => `repository:library/r${i}:pull`);
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', scope });
    expect(res.status).toBe(400);
  });

  it('sees a role change on the next token', async () => {
    const { auth } = await createUser(h, 'promoted');
    expect(await grantedActions(auth, 'repository:secret/app:push')).toEqual([]);
    await addMember(h, 'secret', 'promoted', 2);
    expect(await grantedActions(auth, 'repository:secret/app:push')).toEqual(['push']);
  });
});

describe('POST /service/token (OAuth2 password grant)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h.close());

  it('issues the same token for form credentials, without a refresh token', async () => {
    const res = await h.http
      .post('/service/token')
      .type('form')
      .send({ grant_type: 'password', username: 'admin', password: 'Harbor12345', service: 'harbor-registry', scope: 'repository:library/x:pull,push', client_id: 'docker' });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
    expect(res.body.access_token).toBe(res.body.token);
    const claims = verifyRegistryToken(res.body.token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
    expect(claims.sub).toBe('admin');
    expect(claims.access).toEqual([{ type: 'repository', name: 'library/x', actions: ['pull', 'push'] }]);
  });

  it('refuses wrong form credentials with 401 and other grant types with 400', async () => {
    const wrong = await h.http.post('/service/token').type('form').send({ grant_type: 'password', username: 'admin', password: 'nope', service: 'harbor-registry' });
    expect(wrong.status).toBe(401);
    const refresh = await h.http.post('/service/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x', service: 'harbor-registry' });
    expect(refresh.status).toBe(400);
    expect(refresh.body.errors[0].code).toBe('BAD_REQUEST');
  });
});
