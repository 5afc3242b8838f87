import type { Response } from 'supertest';
import { adminPassword, asAdmin, createUser, Harness, startCore } from './support/core-harness';

/** The cookies a response sets, by name: value and attributes as sent. */
function setCookies(res: Response): Map<string, { value: string; attributes: string[] }> {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookies = new Map<string, { value: string; attributes: string[] }>();
  for (const line of raw ?? []) {
    const [pair, ...attributes] = line.split(';').map((p) => p.trim());
    const eq = pair!.indexOf('=');
    cookies.set(pair!.slice(0, eq), { value: decodeURIComponent(pair!.slice(eq + 1)), attributes: attributes.map((a) => a.toLowerCase()) });
  }
  return cookies;
}

interface Login {
  sid: string;
  csrf: string;
  cookie: string;
}

async function login(h: Harness, principal: string, password: string): Promise<Login> {
  const res = await h.http.post('/c/login').type('form').send({ principal, password });
  if (res.status !== 200) throw new Error(`login ${principal}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookies = setCookies(res);
  const sid = cookies.get('sid')!.value;
  const csrf = res.headers['x-harbor-csrf-token'] as string;
  return { sid, csrf, cookie: `sid=${sid}` };
}

describe('portal sessions', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startCore({ startOptions: { sessionIdleMs: 2500 } });
    await createUser(h, 'alice', 'Passw0rdA');
  });
  afterAll(() => h.close());

  describe('POST /c/login', () => {
    it('answers 200 with an HttpOnly, SameSite=Lax sid cookie and the CSRF token (cookie __csrf and header)', async () => {
      const res = await h.http.post('/c/login').type('form').send({ principal: 'alice', password: 'Passw0rdA' });
      expect(res.status).toBe(200);
      const cookies = setCookies(res);
      const sid = cookies.get('sid')!;
      expect(sid.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(sid.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      // The external URL of this harness is http: the cookie must still reach the server.
      expect(sid.attributes).not.toContain('secure');
      const csrf = cookies.get('__csrf')!;
      expect(csrf.value).toBe(res.headers['x-harbor-csrf-token']);
      expect(csrf.attributes).not.toContain('httponly');
      expect(csrf.value).not.toBe(sid.value);
    });

    it('signs the user in: /users/current answers for the session', async () => {
      const session = await login(h, 'alice', 'Passw0rdA');
      const me = await h.http.get('/api/v2.0/users/current').set('Cookie', session.cookie);
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('alice');
      expect(me.headers['x-harbor-csrf-token']).toBe(session.csrf);
    });

    it('gives every login a new session id', async () => {
      const first = await login(h, 'alice', 'Passw0rdA');
      const second = await login(h, 'alice', 'Passw0rdA');
      expect(second.sid).not.toBe(first.sid);
      expect(second.csrf).not.toBe(first.csrf);
    });

    it('refuses a wrong password or an unknown user with 401 in Harbor’s envelope and sets no session', async () => {
      for (const [principal, password] of [['alice', 'Wr0ngPassword'], ['nobody', 'Passw0rdA']]) {
        const res = await h.http.post('/c/login').type('form').send({ principal, password });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: expect.any(String) }] });
        expect(setCookies(res).has('sid')).toBe(false);
      }
    });

    it.each([
      ['no fields', {}],
      ['an empty password', { principal: 'alice', password: '' }],
      ['repeated fields', 'principal=alice&principal=bob&password=x'],
    ])('answers 400 for %s', async (_why, body) => {
      const res = await h.http.post('/c/login').type('form').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('BAD_REQUEST');
    });

    it('answers 405 for GET /c/login', async () => {
      expect((await h.http.get('/c/login')).status).toBe(405);
    });
  });

  describe('GET /c/log_out', () => {
    it('ends the session: the cookie no longer signs anybody in', async () => {
      const session = await login(h, 'alice', 'Passw0rdA');
      const out = await h.http.get('/c/log_out').set('Cookie', session.cookie);
      expect(out.status).toBe(200);
      expect(setCookies(out).get('sid')!.value).toBe('');
      const me = await h.http.get('/api/v2.0/users/current').set('Cookie', session.cookie);
      expect(me.status).toBe(401);
    });
  });

  describe('expiry', () => {
    it('keeps a session alive while it is used and drops it after the idle timeout', async () => {
      const session = await login(h, 'alice', 'Passw0rdA');
      // Used every 800 ms for 3.2 s, longer than the 2.5 s idle timeout: sliding.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 800));
        expect((await h.http.get('/api/v2.0/users/current').set('Cookie', session.cookie)).status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 4000));
      const late = await h.http.get('/api/v2.0/users/current').set('Cookie', session.cookie);
      expect(late.status).toBe(401);
      expect(late.body.errors[0].code).toBe('UNAUTHORIZED');
    });

    it('treats an unknown or malformed session id as no session', async () => {
      for (const cookie of ['sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'sid=../../etc/passwd', 'sid=%E0%A4%A', `sid=${'x'.repeat(5000)}`]) {
        const res = await h.http.get('/api/v2.0/users/current').set('Cookie', cookie);
        expect(res.status).toBe(401);
      }
    });
  });

  describe('CSRF', () => {
    const newProject = (name: string) => ({ project_name: name, metadata: { public: 'false' } });
    const projectExists = async (name: string) =>
      (await h.http.head('/api/v2.0/projects').query({ project_name: name }).set('Authorization', asAdmin)).status === 200;

    it('accepts a cookie-authenticated write carrying the session’s token', async () => {
      const session = await login(h, 'alice', 'Passw0rdA');
      const res = await h.http.post('/api/v2.0/projects').set('Cookie', session.cookie).set('X-Harbor-CSRF-Token', session.csrf).send(newProject('csrf-right'));
      expect(res.status).toBe(201);
      expect(await projectExists('csrf-right')).toBe(true);
    });

    it.each([
      ['no token', undefined],
      ['a wrong token', 'not-the-token'],
      ['an empty token', ''],
    ])('refuses a cookie-authenticated write with %s: 403 "CSRF token invalid", nothing created', async (_why, token) => {
      const session = await login(h, 'alice', 'Passw0rdA');
      const name = `csrf-${Math.random().toString(36).slice(2, 8)}`;
      let req = h.http.post('/api/v2.0/projects').set('Cookie', session.cookie);
      if (token !== undefined) req = req.set('X-Harbor-CSRF-Token', token);
      const res = await req.send(newProject(name));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [{ code: 'FORBIDDEN', message: 'CSRF token invalid' }] });
      expect(await projectExists(name)).toBe(false);
    });

    it('refuses another session’s token', async () => {
      const mine = await login(h, 'alice', 'Passw0rdA');
      const theirs = await login(h, 'admin', adminPassword);
      const res = await h.http.post('/api/v2.0/projects').set('Cookie', mine.cookie).set('X-Harbor-CSRF-Token', theirs.csrf).send(newProject('csrf-other'));
      expect(res.status).toBe(403);
      expect(await projectExists('csrf-other')).toBe(false);
    });

    it('guards PUT and DELETE too, and lets reads through without a token', async () => {
      const session = await login(h, 'admin', adminPassword);
      const user = await createUser(h, 'victim', 'Passw0rdV');
      expect((await h.http.delete(`/api/v2.0/users/${user.id}`).set('Cookie', session.cookie)).status).toBe(403);
      expect((await h.http.put(`/api/v2.0/users/${user.id}/sysadmin`).set('Cookie', session.cookie).send({ sysadmin_flag: true })).status).toBe(403);
      const read = await h.http.get(`/api/v2.0/users/${user.id}`).set('Cookie', session.cookie);
      expect(read.status).toBe(200);
      expect(read.body.sysadmin_flag).toBe(false);
    });

    it('exempts Basic-authenticated writes: no browser sends those by itself', async () => {
      const res = await h.http.post('/api/v2.0/projects').set('Authorization', asAdmin).send(newProject('csrf-basic'));
      expect(res.status).toBe(201);
    });
  });
});

describe('session cookies behind https', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCore({ config: { externalUrl: 'https://harbor.test' } });
  });
  afterAll(() => h.close());

  it('marks the session and CSRF cookies Secure when the external URL is https', async () => {
    const res = await h.http.post('/c/login').type('form').send({ principal: 'admin', password: adminPassword });
    expect(res.status).toBe(200);
    const cookies = setCookies(res);
    expect(cookies.get('sid')!.attributes).toContain('secure');
    expect(cookies.get('__csrf')!.attributes).toContain('secure');
  });
});
