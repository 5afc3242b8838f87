import { verifyRegistryToken } from '@harbor/auth';
import { Slapd, startSlapd } from '@harbor/testkit';
import { asAdmin, basic, createUser, Harness, startCore } from './support/core-harness';
import { contractViolations } from './support/contract';

/**
 * `GET|PUT /configurations`: system admins only; Harbor's shapes (checked
 * against the swagger); hostile bodies refused whole with nothing stored;
 * and every setting honoured by the running core without a restart —
 * self-registration, project creation, token lifetime, robot duration,
 * auth_mode (only while admin is the only user) and the LDAP settings used
 * by logins and /ldap/ping — and by another core on the same database
 * within the cache's few seconds.
 */
describe('/api/v2.0/configurations', () => {
  let h: Harness;
  let user: { id: number; auth: string };

  beforeAll(async () => {
    h = await startCore({ config: { selfRegistration: false, projectCreationRestriction: 'everyone' } });
    user = await createUser(h, 'plainuser');
  });
  afterAll(() => h.close());

  const getConfig = (auth = asAdmin) => h.http.get('/api/v2.0/configurations').set('Authorization', auth);
  const putConfig = (body: unknown, auth = asAdmin) => h.http.put('/api/v2.0/configurations').set('Authorization', auth).send(body as object);
  const storedRows = async () => h.database.db.selectFrom('system_setting').selectAll().execute();

  describe('GET', () => {
    it('shows every setting as {value, editable} with harbor.cfg’s values, in Harbor’s shape, never the search password', async () => {
      const res = await getConfig();
      expect(res.status).toBe(200);
      expect(contractViolations('GET', '/api/v2.0/configurations', res)).toEqual([]);
      expect(res.body).toEqual({
        auth_mode: { value: 'db_auth', editable: false },
        ldap_url: { value: 'ldap://127.0.0.1:389', editable: true },
        ldap_search_dn: { value: '', editable: true },
        ldap_base_dn: { value: '', editable: true },
        ldap_filter: { value: '', editable: true },
        ldap_uid: { value: 'uid', editable: true },
        ldap_scope: { value: 2, editable: true },
        ldap_timeout: { value: 5, editable: true },
        ldap_verify_cert: { value: true, editable: true },
        ldap_group_base_dn: { value: '', editable: true },
        ldap_group_search_filter: { value: '(objectClass=groupOfNames)', editable: true },
        ldap_group_attribute_name: { value: 'cn', editable: true },
        ldap_group_search_scope: { value: 2, editable: true },
        ldap_group_admin_dn: { value: '', editable: true },
        ldap_group_membership_attribute: { value: 'memberof', editable: true },
        self_registration: { value: false, editable: true },
        project_creation_restriction: { value: 'everyone', editable: true },
        token_expiration: { value: 30, editable: true },
        robot_token_duration: { value: 30, editable: true },
      });
    });

    it('is for system admins only: 401 anonymous, 403 users and robots, in the envelope', async () => {
      const anonymous = await h.http.get('/api/v2.0/configurations');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].code).toBe('UNAUTHORIZED');
      const plain = await getConfig(user.auth);
      expect(plain.status).toBe(403);
      expect(plain.body).toEqual({ errors: [{ code: 'FORBIDDEN', message: expect.any(String) }] });
      const robot = await h.http
        .post('/api/v2.0/robots')
        .set('Authorization', asAdmin)
        .send({ name: 'cfgreader', level: 'system', duration: -1, permissions: [{ kind: 'system', namespace: '/', access: [{ resource: 'project', action: 'list' }] }] });
      expect(robot.status).toBe(201);
      expect((await getConfig(basic(robot.body.name, robot.body.secret))).status).toBe(403);
      for (const res of [anonymous, plain]) expect(contractViolations('GET', '/api/v2.0/configurations', res)).toEqual([]);
    });
  });

  describe('PUT refuses', () => {
    it.each([
      ['an unknown key', { no_such_setting: true }],
      ['a Harbor key this suite does not have', { oidc_endpoint: 'https://id.example.com' }],
      ['a prototype key', JSON.parse('{"__proto__": {"self_registration": true}}')],
      ['a string for a boolean', { self_registration: 'true' }],
      ['a number for a boolean', { ldap_verify_cert: 1 }],
      ['a string for an integer', { token_expiration: '30' }],
      ['a fractional integer', { token_expiration: 1.5 }],
      ['a zero token lifetime', { token_expiration: 0 }],
      ['a negative token lifetime', { token_expiration: -5 }],
      ['a huge token lifetime', { token_expiration: 1e12 }],
      ['a huge robot duration', { robot_token_duration: 10_000_000 }],
      ['a zero robot duration', { robot_token_duration: 0 }],
      ['an LDAP scope out of range', { ldap_scope: 3 }],
      ['an LDAP timeout out of range', { ldap_timeout: 100_000 }],
      ['an unknown auth mode', { auth_mode: 'oidc_auth' }],
      ['an unknown creation restriction', { project_creation_restriction: 'nobody' }],
      ['an LDAP URL of another scheme', { ldap_url: 'http://ldap.example.com' }],
      ['a malformed LDAP filter', { ldap_filter: '(objectClass=person' }],
      ['a base DN that is no DN', { ldap_base_dn: 'not a dn' }],
      ['an attribute name with a space', { ldap_uid: 'u id' }],
      ['a very long value', { ldap_search_dn: `cn=${'x'.repeat(5000)}` }],
      ['an object for a string', { ldap_url: { $gt: '' } }],
      ['one bad key among good ones', { self_registration: true, token_expiration: 'soon' }],
      ['ldap_auth without an LDAP URL', { auth_mode: 'ldap_auth', ldap_url: '' }],
    ])('%s: 400 in the envelope and nothing stored', async (_why, body) => {
      const res = await putConfig(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
      expect(contractViolations('PUT', '/api/v2.0/configurations', res)).toEqual([]);
      expect(await storedRows()).toEqual([]);
      expect((await getConfig()).body.self_registration.value).toBe(false);
    });

    it('names the key that is wrong', async () => {
      expect((await putConfig({ token_expiration: '30' })).body.errors[0].message).toContain('token_expiration');
      expect((await putConfig({ no_such_setting: 1 })).body.errors[0].message).toContain('no_such_setting');
      // A key of any length is named in a bounded message, not echoed whole.
      const long = await putConfig({ [`k${'x'.repeat(200_000)}`]: 1 });
      expect(long.status).toBe(400);
      expect(long.body.errors[0].message.length).toBeLessThan(500);
    });

    it('bodies that are not a JSON object: 400', async () => {
      for (const body of [[{ self_registration: true }], 'self_registration=true']) {
        const res = await putConfig(body);
        expect(res.status).toBe(400);
        expect(res.body.errors[0].code).toBe('BAD_REQUEST');
      }
      const broken = await h.http.put('/api/v2.0/configurations').set('Authorization', asAdmin).set('Content-Type', 'application/json').send('{"self_registration": tru');
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].code).toBe('BAD_REQUEST');
    });

    it('a body over the API limit: 413 in the envelope, nothing stored', async () => {
      const res = await putConfig({ self_registration: true, ldap_search_dn: `cn=${'x'.repeat(1100 * 1024)}` });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ errors: [{ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) }] });
      expect(await storedRows()).toEqual([]);
    });

    it('callers who are not system admins: 401 anonymous, 403 users, before looking at the body', async () => {
      const anonymous = await h.http.put('/api/v2.0/configurations').send({ self_registration: true });
      expect(anonymous.status).toBe(401);
      const plain = await putConfig({ self_registration: true }, user.auth);
      expect(plain.status).toBe(403);
      expect((await putConfig({ no_such_setting: 1 }, user.auth)).status).toBe(403);
      for (const res of [anonymous, plain]) expect(contractViolations('PUT', '/api/v2.0/configurations', res)).toEqual([]);
      expect(await storedRows()).toEqual([]);
    });

    it('changing auth_mode once users other than admin exist (Harbor’s rule), and says why', async () => {
      const res = await putConfig({ auth_mode: 'ldap_auth' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/auth mode cannot be changed/);
      expect((await getConfig()).body.auth_mode).toEqual({ value: 'db_auth', editable: false });
      // Setting the mode it already has is no change.
      expect((await putConfig({ auth_mode: 'db_auth' })).status).toBe(200);
    });
  });

  describe('PUT changes what the running core does', () => {
    it('self_registration: anonymous sign-up and /systeminfo follow it at once', async () => {
      const signUp = (name: string) => h.http.post('/api/v2.0/users').send({ username: name, email: `${name}@example.com`, realname: name, password: 'Passw0rdX' });
      expect((await signUp('early')).status).toBe(401);
      const res = await putConfig({ self_registration: true });
      expect(res.status).toBe(200);
      expect(contractViolations('PUT', '/api/v2.0/configurations', res)).toEqual([]);
      expect((await h.http.get('/api/v2.0/systeminfo')).body.self_registration).toBe(true);
      expect((await signUp('selfmade')).status).toBe(201);
      expect((await getConfig()).body.self_registration).toEqual({ value: true, editable: true });

      await putConfig({ self_registration: false }).expect(200);
      expect((await h.http.get('/api/v2.0/systeminfo')).body.self_registration).toBe(false);
      expect((await signUp('late')).status).toBe(401);
    });

    it('project_creation_restriction: adminonly refuses non-admins, everyone lets them again', async () => {
      const create = (name: string, auth: string) => h.http.post('/api/v2.0/projects').set('Authorization', auth).send({ project_name: name });
      await putConfig({ project_creation_restriction: 'adminonly' }).expect(200);
      const refused = await create('byuser1', user.auth);
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].code).toBe('FORBIDDEN');
      expect((await h.http.get('/api/v2.0/systeminfo').set('Authorization', user.auth)).body.project_creation_restriction).toBe('adminonly');
      expect((await create('byadmin1', asAdmin)).status).toBe(201);
      await putConfig({ project_creation_restriction: 'everyone' }).expect(200);
      expect((await create('byuser2', user.auth)).status).toBe(201);
    });

    it('token_expiration: the next registry token lives that many minutes', async () => {
      await putConfig({ token_expiration: 7 }).expect(200);
      const res = await h.http.get('/service/token').query({ service: 'harbor-registry' }).set('Authorization', asAdmin);
      expect(res.status).toBe(200);
      expect(res.body.expires_in).toBe(7 * 60);
      const claims = verifyRegistryToken(res.body.token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
      expect(claims.exp - claims.iat).toBe(7 * 60);
      await putConfig({ token_expiration: 30 }).expect(200);
      expect((await h.http.get('/service/token').query({ service: 'harbor-registry' }).set('Authorization', asAdmin)).body.expires_in).toBe(30 * 60);
    });

    it('robot_token_duration: a robot created with duration 0 gets it, as in Harbor', async () => {
      await putConfig({ robot_token_duration: 12 }).expect(200);
      const res = await h.http
        .post('/api/v2.0/robots')
        .set('Authorization', asAdmin)
        .send({ name: 'defaulted', level: 'system', duration: 0, permissions: [{ kind: 'project', namespace: '*', access: [{ resource: 'repository', action: 'pull' }] }] });
      expect(res.status).toBe(201);
      const created = Math.floor(Date.parse(res.body.creation_time) / 1000);
      expect(res.body.expires_at).toBe(created + 12 * 86_400);
      expect((await h.http.get(`/api/v2.0/robots/${res.body.id}`).set('Authorization', asAdmin)).body.duration).toBe(12);
      expect((await getConfig()).body.robot_token_duration.value).toBe(12);
    });

    it('records who changed which keys in the audit log (never the values)', async () => {
      await putConfig({ ldap_search_password: 'audit-me-not', ldap_timeout: 9 }).expect(200);
      const logs = await h.http.get('/api/v2.0/audit-logs').query({ q: 'resource_type=configuration' }).set('Authorization', asAdmin);
      expect(logs.status).toBe(200);
      const entry = (logs.body as Array<Record<string, unknown>>).find((e) => e.resource === 'ldap_search_password,ldap_timeout');
      expect(entry).toMatchObject({ operation: 'update', resource_type: 'configuration', username: 'admin' });
      expect(JSON.stringify(logs.body)).not.toContain('audit-me-not');
    });

    it('keeps the search password sealed in the database and never shows it', async () => {
      await putConfig({ ldap_search_password: 'Pl4in-Text-Secret' }).expect(200);
      const row = (await storedRows()).find((r) => r.name === 'ldap_search_password');
      expect(row).toBeDefined();
      expect(row!.value).not.toContain('Pl4in-Text-Secret');
      const shown = await getConfig();
      expect(shown.body.ldap_search_password).toBeUndefined();
      expect(shown.text).not.toContain('Pl4in-Text-Secret');
    });

    it('another core on the same database sees the changes (within the cache’s seconds), and a restart keeps them', async () => {
      const other = await h.startAnother();
      const otherUrl = `http://127.0.0.1:${other.port}`;
      const systemInfo = async () => (await fetch(`${otherUrl}/api/v2.0/systeminfo`)).json() as Promise<Record<string, unknown>>;
      expect((await systemInfo()).self_registration).toBe(false);
      // Stored by earlier tests, read at start.
      const stored = await fetch(`${otherUrl}/api/v2.0/configurations`, { headers: { Authorization: asAdmin } });
      expect(((await stored.json()) as Record<string, { value: unknown }>).robot_token_duration!.value).toBe(12);
      await putConfig({ self_registration: true }).expect(200);
      const deadline = Date.now() + 15_000;
      let seen: unknown = false;
      while (Date.now() < deadline && seen !== true) {
        seen = (await systemInfo()).self_registration;
        if (seen !== true) await new Promise((r) => setTimeout(r, 250));
      }
      expect(seen).toBe(true);
      await putConfig({ self_registration: false }).expect(200);
    });
  });
});

describe('auth_mode and LDAP settings at run time', () => {
  let slapd: Slapd;
  let h: Harness;

  beforeAll(async () => {
    slapd = await startSlapd({
      users: [{ uid: 'lena', password: 'lena-Secret1', cn: 'Lena Ldap', mail: 'lena@example.test' }],
      groups: [{ cn: 'admins', members: ['lena'] }],
    });
    // Only admin exists, and harbor.cfg names no directory.
    h = await startCore({ config: { ldap: { url: '', searchDn: '', searchPassword: '', baseDn: '', filter: '', uid: 'uid', scope: 'sub', timeoutSeconds: 2, verifyCertificate: true } } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await slapd?.close();
  });

  const putConfig = (body: unknown) => h.http.put('/api/v2.0/configurations').set('Authorization', asAdmin).send(body as object);
  const ping = () => h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin);

  it('auth_mode is editable while admin is the only user; ldap_auth needs a URL', async () => {
    expect((await h.http.get('/api/v2.0/configurations').set('Authorization', asAdmin)).body.auth_mode).toEqual({ value: 'db_auth', editable: true });
    const res = await putConfig({ auth_mode: 'ldap_auth' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain('ldap_url');
    expect((await ping()).status).toBe(400);
  });

  it('LDAP settings and the switch to ldap_auth take effect without a restart', async () => {
    const lena = basic('lena', 'lena-Secret1');
    expect((await h.http.get('/api/v2.0/users/current').set('Authorization', lena)).status).toBe(401);

    const res = await putConfig({
      ldap_url: slapd.url,
      ldap_search_dn: slapd.rootDn,
      ldap_search_password: slapd.rootPassword,
      ldap_base_dn: slapd.peopleDn,
      ldap_filter: '(objectClass=inetOrgPerson)',
      ldap_uid: 'uid',
      ldap_scope: 2,
      ldap_timeout: 2,
      ldap_group_base_dn: slapd.groupsDn,
      ldap_group_admin_dn: slapd.groupDn('admins'),
      auth_mode: 'ldap_auth',
    });
    expect(res.status).toBe(200);
    expect((await ping()).body).toEqual({ success: true, message: 'success' });
    expect((await h.http.get('/api/v2.0/systeminfo')).body.auth_mode).toBe('ldap_auth');

    // The directory's user logs in; the group admin DN set above makes her a system admin.
    const me = await h.http.get('/api/v2.0/users/current').set('Authorization', lena);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('lena');
    expect((await h.http.get('/api/v2.0/configurations').set('Authorization', lena)).status).toBe(200);
    // Local accounts are not made in ldap_auth; admin still logs in against the database.
    const local = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send({ username: 'local1', email: 'l@example.com', realname: 'l', password: 'Passw0rdX' });
    expect(local.status).toBe(403);

    // A wrong search password, set at run time, breaks the ping with the directory's reason.
    await putConfig({ ldap_search_password: 'wrong' }).expect(200);
    const broken = await ping();
    expect(broken.status).toBe(200);
    expect(broken.body.success).toBe(false);
    await putConfig({ ldap_search_password: slapd.rootPassword }).expect(200);
    expect((await ping()).body.success).toBe(true);

    // Now a user other than admin exists: the mode is fixed.
    const config = await h.http.get('/api/v2.0/configurations').set('Authorization', asAdmin);
    expect(config.body.auth_mode).toEqual({ value: 'ldap_auth', editable: false });
    expect((await putConfig({ auth_mode: 'db_auth' })).status).toBe(400);
  });
});
