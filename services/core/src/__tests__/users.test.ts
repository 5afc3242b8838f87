import { asAdmin, basic, createUser, Harness, startCore } from './support/core-harness';

describe('/api/v2.0/users', () => {
  let h: Harness;
  let alice: { id: number; auth: string };
  let bob: { id: number; auth: string };

  beforeAll(async () => {
    h = await startCore();
    alice = await createUser(h, 'alice');
    bob = await createUser(h, 'bob');
  });
  afterAll(() => h.close());

  describe('POST /users', () => {
    it('lets a system admin create a user: 201 with Location, and the user can log in', async () => {
      const res = await h.http
        .post('/api/v2.0/users')
        .set('Authorization', asAdmin)
        .send({ username: 'carol', email: 'carol@example.com', realname: 'Carol C', password: 'Passw0rdC', comment: 'ops' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toMatch(/^\/api\/v2\.0\/users\/\d+$/);
      expect(res.headers['x-request-id']).toBeTruthy();
      const me = await h.http.get('/api/v2.0/users/current').set('Authorization', basic('carol', 'Passw0rdC'));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ username: 'carol', email: 'carol@example.com', realname: 'Carol C', comment: 'ops', sysadmin_flag: false });
      expect(me.body.password).toBeUndefined();
    });

    it('refuses a non-admin creating users (403) and anonymous callers when self-registration is off (401)', async () => {
      const body = { username: 'mallory', email: 'm@example.com', realname: 'M', password: 'Passw0rdM' };
      const byAlice = await h.http.post('/api/v2.0/users').set('Authorization', alice.auth).send(body);
      expect(byAlice.status).toBe(403);
      expect(byAlice.body.errors[0].code).toBe('FORBIDDEN');
      const byNobody = await h.http.post('/api/v2.0/users').send(body);
      expect(byNobody.status).toBe(401);
      expect(await h.database.db.selectFrom('harbor_user').select('user_id').where('username', '=', 'mallory').executeTakeFirst()).toBeUndefined();
    });

    it('answers 409 for a username or email already used', async () => {
      const sameName = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send({ username: 'alice', email: 'new@example.com', realname: 'A', password: 'Passw0rdA' });
      expect(sameName.status).toBe(409);
      expect(sameName.body.errors[0].code).toBe('CONFLICT');
      const sameEmail = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send({ username: 'alice2', email: 'alice@example.com', realname: 'A', password: 'Passw0rdA' });
      expect(sameEmail.status).toBe(409);
    });

    it.each([
      ['a weak password', { username: 'dave', email: 'd@example.com', realname: 'D', password: 'password' }],
      ['a missing username', { email: 'd@example.com', realname: 'D', password: 'Passw0rdD' }],
      ['a username of the wrong type', { username: 42, email: 'd@example.com', realname: 'D', password: 'Passw0rdD' }],
      ['an illegal username', { username: 'da,ve', email: 'd@example.com', realname: 'D', password: 'Passw0rdD' }],
      ['a bad email', { username: 'dave', email: 'nope', realname: 'D', password: 'Passw0rdD' }],
      ['a missing realname', { username: 'dave', email: 'd@example.com', password: 'Passw0rdD' }],
    ])('answers 400 for %s', async (_why, body) => {
      const res = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.any(String) }] });
    });

    it('answers 400 for malformed JSON and for a JSON array body', async () => {
      const broken = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).set('Content-Type', 'application/json').send('{"username": "x",');
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].code).toBe('BAD_REQUEST');
      const array = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send([{ username: 'x' }]);
      expect(array.status).toBe(400);
    });

    it('stores SQL-looking names literally and harmlessly', async () => {
      const name = "robert');DROP";
      const res = await h.http.post('/api/v2.0/users').set('Authorization', asAdmin).send({ username: name, email: 'r@example.com', realname: 'R', password: 'Passw0rdR' });
      expect(res.status).toBe(201);
      const list = await h.http.get('/api/v2.0/users').query({ q: `username=${name}` }).set('Authorization', asAdmin);
      expect(list.body.map((u: { username: string }) => u.username)).toEqual([name]);
    });
  });

  describe('self-registration', () => {
    let open: Harness;
    beforeAll(async () => {
      open = await startCore({ config: { selfRegistration: true } });
    });
    afterAll(() => open.close());

    it('lets an anonymous caller register when self_registration is on, but not a signed-in non-admin', async () => {
      const res = await open.http.post('/api/v2.0/users').send({ username: 'self', email: 's@example.com', realname: 'S', password: 'Passw0rdS' });
      expect(res.status).toBe(201);
      const me = await open.http.get('/api/v2.0/users/current').set('Authorization', basic('self', 'Passw0rdS'));
      expect(me.body.sysadmin_flag).toBe(false);
      const again = await open.http.post('/api/v2.0/users').set('Authorization', basic('self', 'Passw0rdS')).send({ username: 'other', email: 'o@example.com', realname: 'O', password: 'Passw0rdO' });
      expect(again.status).toBe(403);
    });
  });

  describe('GET /users', () => {
    it('lists users for admins with X-Total-Count and Link, filtered by q', async () => {
      const page1 = await h.http.get('/api/v2.0/users').query({ page: 1, page_size: 2 }).set('Authorization', asAdmin);
      expect(page1.status).toBe(200);
      const total = Number(page1.headers['x-total-count']);
      expect(total).toBeGreaterThanOrEqual(4);
      expect(page1.body).toHaveLength(2);
      expect(page1.headers.link).toBe('</api/v2.0/users?page=2&page_size=2>; rel="next"');
      const page2 = await h.http.get('/api/v2.0/users').query({ page: 2, page_size: 2 }).set('Authorization', asAdmin);
      expect(page2.headers.link).toContain('rel="prev"');
      const fuzzy = await h.http.get('/api/v2.0/users').query({ q: 'username=~lic' }).set('Authorization', asAdmin);
      expect(fuzzy.body.map((u: { username: string }) => u.username)).toEqual(['alice']);
      expect(fuzzy.headers['x-total-count']).toBe('1');
    });

    it('treats LIKE wildcards in a fuzzy filter literally', async () => {
      const res = await h.http.get('/api/v2.0/users').query({ q: 'username=~%' }).set('Authorization', asAdmin);
      expect(res.body).toEqual([]);
    });

    it('caps huge page sizes and refuses nonsense pages', async () => {
      const huge = await h.http.get('/api/v2.0/users').query({ page_size: 100000 }).set('Authorization', asAdmin);
      expect(huge.status).toBe(200);
      expect(huge.body.length).toBeLessThanOrEqual(100);
      for (const page of ['0', '-1', 'abc', '1e9']) {
        const bad = await h.http.get('/api/v2.0/users').query({ page }).set('Authorization', asAdmin);
        expect(bad.status).toBe(400);
      }
      const unknownKey = await h.http.get('/api/v2.0/users').query({ q: 'password=x' }).set('Authorization', asAdmin);
      expect(unknownKey.status).toBe(400);
    });

    it('is for system admins only', async () => {
      expect((await h.http.get('/api/v2.0/users').set('Authorization', alice.auth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/users')).status).toBe(401);
    });
  });

  describe('GET /users/{id} and /users/current', () => {
    it('shows a user their own profile and admins anyone', async () => {
      const own = await h.http.get(`/api/v2.0/users/${alice.id}`).set('Authorization', alice.auth);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ user_id: alice.id, username: 'alice', sysadmin_flag: false, admin_role_in_auth: false });
      expect(typeof own.body.creation_time).toBe('string');
      const byAdmin = await h.http.get(`/api/v2.0/users/${bob.id}`).set('Authorization', asAdmin);
      expect(byAdmin.body.username).toBe('bob');
    });

    it("refuses another user's id with 403, and answers 404 to admins for missing users and 400 for bad ids", async () => {
      expect((await h.http.get(`/api/v2.0/users/${bob.id}`).set('Authorization', alice.auth)).status).toBe(403);
      expect((await h.http.get('/api/v2.0/users/99999').set('Authorization', asAdmin)).status).toBe(404);
      expect((await h.http.get('/api/v2.0/users/abc').set('Authorization', asAdmin)).status).toBe(400);
      expect((await h.http.get('/api/v2.0/users/1%20OR%201=1').set('Authorization', asAdmin)).status).toBe(400);
    });

    it('answers 401 for /users/current when anonymous, and for a wrong password anywhere', async () => {
      const anonymous = await h.http.get('/api/v2.0/users/current');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].code).toBe('UNAUTHORIZED');
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', basic('alice', 'WrongPass1'))).status).toBe(401);
    });
  });

  describe('PUT /users/{id}/password', () => {
    it('lets a user change their own password with the old one, and the old one stops working', async () => {
      const { id, auth } = await createUser(h, 'erin', 'Passw0rdE');
      const res = await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', auth).send({ old_password: 'Passw0rdE', new_password: 'N3wPassword' });
      expect(res.status).toBe(200);
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', auth)).status).toBe(401);
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', basic('erin', 'N3wPassword'))).status).toBe(200);
    });

    it('refuses a wrong old password (403), a weak new one (400) and changing someone else’s (403)', async () => {
      const { id, auth } = await createUser(h, 'frank', 'Passw0rdF');
      expect((await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', auth).send({ old_password: 'nope', new_password: 'N3wPassword' })).status).toBe(403);
      expect((await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', auth).send({ old_password: 'Passw0rdF', new_password: 'weak' })).status).toBe(400);
      expect((await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', auth).send({ old_password: 'Passw0rdF', new_password: 'Passw0rdF' })).status).toBe(400);
      expect((await h.http.put(`/api/v2.0/users/${bob.id}/password`).set('Authorization', auth).send({ old_password: 'Passw0rdX', new_password: 'N3wPassword' })).status).toBe(403);
      expect((await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', auth).send({ new_password: 12345678 })).status).toBe(400);
    });

    it('lets an admin reset another user’s password without the old one', async () => {
      const { id } = await createUser(h, 'gina', 'Passw0rdG');
      expect((await h.http.put(`/api/v2.0/users/${id}/password`).set('Authorization', asAdmin).send({ new_password: 'Res3tPassword' })).status).toBe(200);
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', basic('gina', 'Res3tPassword'))).status).toBe(200);
    });
  });

  describe('PUT /users/{id}/sysadmin and DELETE /users/{id}', () => {
    it('lets an admin promote a user, who then can list users', async () => {
      const { id, auth } = await createUser(h, 'henry');
      expect((await h.http.get('/api/v2.0/users').set('Authorization', auth)).status).toBe(403);
      expect((await h.http.put(`/api/v2.0/users/${id}/sysadmin`).set('Authorization', asAdmin).send({ sysadmin_flag: true })).status).toBe(200);
      expect((await h.http.get('/api/v2.0/users').set('Authorization', auth)).status).toBe(200);
    });

    it('refuses non-admins, the admin’s own flag and a non-boolean flag', async () => {
      expect((await h.http.put(`/api/v2.0/users/${alice.id}/sysadmin`).set('Authorization', alice.auth).send({ sysadmin_flag: true })).status).toBe(403);
      expect((await h.http.put('/api/v2.0/users/1/sysadmin').set('Authorization', asAdmin).send({ sysadmin_flag: false })).status).toBe(403);
      expect((await h.http.put(`/api/v2.0/users/${bob.id}/sysadmin`).set('Authorization', asAdmin).send({ sysadmin_flag: 'yes' })).status).toBe(400);
    });

    it('lets an admin delete a user, who can no longer log in; the admin and oneself are protected', async () => {
      const { id, auth } = await createUser(h, 'ivan');
      expect((await h.http.delete(`/api/v2.0/users/${id}`).set('Authorization', alice.auth)).status).toBe(403);
      expect((await h.http.delete(`/api/v2.0/users/${id}`).set('Authorization', asAdmin)).status).toBe(200);
      expect((await h.http.get('/api/v2.0/users/current').set('Authorization', auth)).status).toBe(401);
      expect((await h.http.delete(`/api/v2.0/users/${id}`).set('Authorization', asAdmin)).status).toBe(404);
      expect((await h.http.delete('/api/v2.0/users/1').set('Authorization', asAdmin)).status).toBe(403);
      const { id: jid } = await createUser(h, 'judy');
      await h.http.put(`/api/v2.0/users/${jid}/sysadmin`).set('Authorization', asAdmin).send({ sysadmin_flag: true });
      expect((await h.http.delete(`/api/v2.0/users/${jid}`).set('Authorization', basic('judy', 'Passw0rdX'))).status).toBe(403);
    });
  });
});
