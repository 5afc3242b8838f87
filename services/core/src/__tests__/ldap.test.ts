import { verifyRegistryToken } from '@harbor/auth';
import type { CoreConfig } from '@harbor/config';
import { Slapd, startSlapd } from '@harbor/testkit';
import { asAdmin, basic, createProject, Harness, startCore } from './support/core-harness';

/**
 * auth_mode = ldap_auth against a real slapd: logins (API Basic auth and the
 * token service), user creation, groups and their project roles, the LDAP
 * endpoints, an unreachable directory, and hostile login names.
 */
describe('LDAP authentication and groups', () => {
  let slapd: Slapd;
  let h: Harness;

  const timeoutSeconds = 2;

  function ldapConfig(s: Slapd): CoreConfig['ldap'] {
    return {
      url: s.url,
      searchDn: s.rootDn,
      searchPassword: s.rootPassword,
      baseDn: s.peopleDn,
      filter: '(objectClass=inetOrgPerson)',
      uid: 'uid',
      scope: 'sub',
      timeoutSeconds,
      verifyCertificate: true,
      group: {
        baseDn: s.groupsDn,
        filter: '(objectClass=groupOfNames)',
        nameAttribute: 'cn',
        scope: 'sub',
        adminDn: s.groupDn('harbor-admins'),
        // slapadd does not maintain memberOf; seeAlso (a DN attribute of inetOrgPerson) stands in for it.
        membershipAttribute: 'seeAlso',
      },
    };
  }

  beforeAll(async () => {
    slapd = await startSlapd({
      users: [
        { uid: 'alice', password: 'alice-Secret1', cn: 'Alice Liddell', mail: 'alice@example.test' },
        { uid: 'bob', password: 'bob-Secret1', cn: 'Bob Builder', mail: 'bob@example.test' },
        { uid: 'carol', password: 'carol-Secret1', cn: 'Carol Admin' },
        { uid: 'dave', password: 'dave-Secret1' },
        { uid: 'erin', password: 'erin-Secret1' },
        // Logs in only while the directory is down (no cached verification to fall back on).
        { uid: 'frank', password: 'frank-Secret1' },
        // In `testers` only through the membership attribute of her own entry, not the group's `member`.
        { uid: 'gina', password: 'gina-Secret1', extra: { seeAlso: ['cn=Testers,ou=groups,dc=example,dc=test'] } },
        // Same password as alice: a filter injection that matched "anyone" would log in as them.
        { uid: 'zed', password: 'alice-Secret1' },
      ],
      groups: [
        { cn: 'developers', members: ['alice', 'dave'] },
        { cn: 'guests', members: ['bob'] },
        { cn: 'harbor-admins', members: ['carol'] },
        { cn: 'testers', members: [] },
      ],
    });
    h = await startCore({ config: { authMode: 'ldap_auth', ldap: ldapConfig(slapd) } });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await slapd?.close();
  });

  const currentUser = (auth: string) => h.http.get('/api/v2.0/users/current').set('Authorization', auth);

  async function usersNamed(username: string): Promise<Array<Record<string, unknown>>> {
    const res = await h.http.get('/api/v2.0/users').query({ q: `username=${username}` }).set('Authorization', asAdmin);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function grantedActions(auth: string, scope: string): Promise<string[]> {
    const res = await h.http.get('/service/token').query({ service: 'harbor-registry', scope }).set('Authorization', auth);
    expect(res.status).toBe(200);
    const claims = verifyRegistryToken(res.body.token, { publicKey: h.publicKey, issuer: 'harbor-token-issuer', audience: 'harbor-registry' });
    return claims.access[0]?.actions ?? [];
  }

  describe('logins', () => {
    it('creates the local user on the first LDAP login, from the entry, and only once', async () => {
      expect(await usersNamed('alice')).toHaveLength(0);
      const first = await currentUser(basic('alice', 'alice-Secret1'));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ username: 'alice', email: 'alice@example.test', realname: 'Alice Liddell', sysadmin_flag: false });
      const second = await currentUser(basic('alice', 'alice-Secret1'));
      expect(second.status).toBe(200);
      expect(second.body.user_id).toBe(first.body.user_id);
      expect(await usersNamed('alice')).toHaveLength(1);
    });

    it('refuses a wrong password with 401 and creates nobody', async () => {
      const res = await currentUser(basic('bob', 'not-his-password'));
      expect(res.status).toBe(401);
      expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
      expect(await usersNamed('bob')).toHaveLength(0);
    });

    it('refuses a user the directory does not know with 401', async () => {
      const res = await currentUser(basic('mallory', 'whatever-1A'));
      expect(res.status).toBe(401);
    });

    it('still logs the admin in from the database, and not with a directory password', async () => {
      expect((await currentUser(asAdmin)).body).toMatchObject({ user_id: 1, username: 'admin', sysadmin_flag: true });
      expect((await currentUser(basic('admin', slapd.rootPassword))).status).toBe(401);
    });

    it('does not let a created LDAP user log in with a local password', async () => {
      await currentUser(basic('erin', 'erin-Secret1'));
      // The stored password is unusable: only the directory's password works.
      expect((await currentUser(basic('erin', ''))).status).toBe(401);
      expect((await currentUser(basic('erin', 'erin-Secret2'))).status).toBe(401);
    });

    it('makes members of the admin group system admins while logged in through LDAP', async () => {
      const res = await currentUser(basic('carol', 'carol-Secret1'));
      expect(res.status).toBe(200);
      expect(res.body.sysadmin_flag).toBe(true);
      expect((await h.http.get('/api/v2.0/usergroups').set('Authorization', basic('carol', 'carol-Secret1'))).status).toBe(200);
    });

    it('logs an LDAP user in at the token service (docker login)', async () => {
      const res = await h.http.get('/service/token').query({ service: 'harbor-registry' }).set('Authorization', basic('dave', 'dave-Secret1'));
      expect(res.status).toBe(200);
      const bad = await h.http.get('/service/token').query({ service: 'harbor-registry' }).set('Authorization', basic('dave', 'wrong'));
      expect(bad.status).toBe(401);
    });
  });

  describe('portal login', () => {
    it('logs an LDAP user in at /c/login (a session for the local user)', async () => {
      const refused = await h.http.post('/c/login').type('form').send({ principal: 'dave', password: 'not-daves' });
      expect(refused.status).toBe(401);
      const res = await h.http.post('/c/login').type('form').send({ principal: 'dave', password: 'dave-Secret1' });
      expect(res.status).toBe(200);
      const sid = (res.headers['set-cookie'] as unknown as string[]).map((c) => /^sid=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
      expect(sid).toBeTruthy();
      const current = await h.http.get('/api/v2.0/users/current').set('Cookie', `sid=${sid}`);
      expect(current.status).toBe(200);
      expect(current.body.username).toBe('dave');
    });
  });

  describe('hostile login names', () => {
    it.each([['*'], ['*)(uid=*'], ['alice*'], ['*)(|(uid=*'], ['al*ce'], ['\\'], ['alice\0'], ['a)(objectClass=*']])(
      'refuses %j with a password some user has, without logging in as anyone',
      async (name) => {
        const res = await currentUser(basic(name, 'alice-Secret1'));
        expect(res.status).toBe(401);
        expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
      },
    );

    it('created no user for any of them', async () => {
      const res = await h.http.get('/api/v2.0/users').query({ page_size: 100 }).set('Authorization', asAdmin);
      const names = (res.body as Array<{ username: string }>).map((u) => u.username);
      expect(names.filter((n) => /[*()\\\0]/.test(n))).toEqual([]);
      expect(names).not.toContain('zed');
    });
  });

  describe('/usergroups', () => {
    let groupId: number;

    it('registers a directory group by DN (name from the directory), sysadmin only', async () => {
      const dn = slapd.groupDn('developers');
      expect((await h.http.post('/api/v2.0/usergroups').set('Authorization', basic('alice', 'alice-Secret1')).send({ ldap_group_dn: dn })).status).toBe(403);
      expect((await h.http.post('/api/v2.0/usergroups').send({ ldap_group_dn: dn })).status).toBe(401);
      const res = await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ group_type: 1, ldap_group_dn: dn.toUpperCase() });
      expect(res.status).toBe(201);
      groupId = Number(/\/usergroups\/(\d+)$/.exec(res.headers.location!)![1]);
      const got = await h.http.get(`/api/v2.0/usergroups/${groupId}`).set('Authorization', asAdmin);
      expect(got.body).toEqual({ id: groupId, group_name: 'developers', group_type: 1, ldap_group_dn: dn.toLowerCase() });
    });

    it('refuses the same DN twice (409), a DN the directory lacks (400) and text that is no DN (400)', async () => {
      const again = await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ ldap_group_dn: slapd.groupDn('developers') });
      expect(again.status).toBe(409);
      expect((await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ ldap_group_dn: slapd.groupDn('nosuch') })).status).toBe(400);
      expect((await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ ldap_group_dn: 'not a dn' })).status).toBe(400);
      expect((await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ ldap_group_dn: slapd.userDn('alice') })).status).toBe(400);
      expect((await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ group_type: 3, ldap_group_dn: slapd.groupDn('guests') })).status).toBe(400);
      for (const body of [{ ldap_group_dn: 42 }, { ldap_group_dn: `cn=${'a'.repeat(600)},${slapd.groupsDn}` }, { ldap_group_dn: '*' }, {}]) {
        const res = await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send(body);
        expect({ body, status: res.status, code: res.body.errors?.[0]?.code }).toEqual({ body, status: 400, code: 'BAD_REQUEST' });
      }
      const malformed = await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).set('Content-Type', 'application/json').send('{"ldap_group_dn":');
      expect(malformed.status).toBe(400);
    });

    it('lists with filters and paging headers, renames, and deletes', async () => {
      const created = await h.http.post('/api/v2.0/usergroups').set('Authorization', asAdmin).send({ ldap_group_dn: slapd.groupDn('guests'), group_name: 'the guests' });
      expect(created.status).toBe(201);
      const guestsId = Number(/(\d+)$/.exec(created.headers.location!)![1]);

      const all = await h.http.get('/api/v2.0/usergroups').query({ page_size: 1 }).set('Authorization', asAdmin);
      expect(all.status).toBe(200);
      expect(all.headers['x-total-count']).toBe('2');
      expect(all.headers.link).toContain('rel="next"');
      expect(all.body).toHaveLength(1);
      const byName = await h.http.get('/api/v2.0/usergroups').query({ group_name: 'guest' }).set('Authorization', asAdmin);
      expect(byName.body.map((g: { id: number }) => g.id)).toEqual([guestsId]);
      const byDn = await h.http.get('/api/v2.0/usergroups').query({ ldap_group_dn: slapd.groupDn('developers') }).set('Authorization', asAdmin);
      expect(byDn.body.map((g: { id: number }) => g.id)).toEqual([groupId]);
      const search = await h.http.get('/api/v2.0/usergroups/search').query({ groupname: 'dev' }).set('Authorization', basic('alice', 'alice-Secret1'));
      expect(search.status).toBe(200);
      expect(search.body).toEqual([{ id: groupId, group_name: 'developers', group_type: 1 }]);

      expect((await h.http.put(`/api/v2.0/usergroups/${guestsId}`).set('Authorization', asAdmin).send({ group_name: 'visitors' })).status).toBe(200);
      expect((await h.http.get(`/api/v2.0/usergroups/${guestsId}`).set('Authorization', asAdmin)).body.group_name).toBe('visitors');
      expect((await h.http.delete(`/api/v2.0/usergroups/${guestsId}`).set('Authorization', asAdmin)).status).toBe(200);
      expect((await h.http.get(`/api/v2.0/usergroups/${guestsId}`).set('Authorization', asAdmin)).status).toBe(404);
      expect((await h.http.get('/api/v2.0/usergroups/999999').set('Authorization', asAdmin)).status).toBe(404);
    });
  });

  describe('group members of projects', () => {
    it('gives a group member the group role in tokens and in the API; others get nothing', async () => {
      await createProject(h, 'ldapteam', asAdmin, false);
      const added = await h.http
        .post('/api/v2.0/projects/ldapteam/members')
        .set('Authorization', asAdmin)
        .send({ role_id: 2, member_group: { ldap_group_dn: slapd.groupDn('developers') } });
      expect(added.status).toBe(201);
      const members = await h.http.get('/api/v2.0/projects/ldapteam/members').set('Authorization', asAdmin);
      expect(members.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ entity_type: 'g', entity_name: 'developers', role_id: 2, role_name: 'developer' })]),
      );

      expect(await grantedActions(basic('dave', 'dave-Secret1'), 'repository:ldapteam/app:pull,push,delete')).toEqual(['pull', 'push']);
      expect(await grantedActions(basic('alice', 'alice-Secret1'), 'repository:ldapteam/app:pull,push')).toEqual(['pull', 'push']);
      expect(await grantedActions(basic('bob', 'bob-Secret1'), 'repository:ldapteam/app:pull,push')).toEqual([]);
      expect((await h.http.get('/api/v2.0/projects/ldapteam').set('Authorization', basic('dave', 'dave-Secret1'))).status).toBe(200);
      expect((await h.http.get('/api/v2.0/projects/ldapteam').set('Authorization', basic('bob', 'bob-Secret1'))).status).toBe(403);

      // A portal session does not re-check the directory: the groups recorded at login carry the role.
      const login = await h.http.post('/c/login').type('form').send({ principal: 'dave', password: 'dave-Secret1' });
      const sid = (login.headers['set-cookie'] as unknown as string[]).map((c) => /^sid=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
      expect((await h.http.get('/api/v2.0/projects/ldapteam').set('Cookie', `sid=${sid}`)).status).toBe(200);
      const listed = await h.http.get('/api/v2.0/projects').set('Cookie', `sid=${sid}`);
      expect(listed.body.map((p: { name: string }) => p.name)).toContain('ldapteam');
    });

    it('counts groups named by the membership attribute of the user entry (memberOf)', async () => {
      const added = await h.http
        .post('/api/v2.0/projects/ldapteam/members')
        .set('Authorization', asAdmin)
        .send({ role_id: 3, member_group: { ldap_group_dn: slapd.groupDn('testers') } });
      expect(added.status).toBe(201);
      expect(await grantedActions(basic('gina', 'gina-Secret1'), 'repository:ldapteam/app:pull,push')).toEqual(['pull']);
      expect(await grantedActions(basic('erin', 'erin-Secret1'), 'repository:ldapteam/app:pull,push')).toEqual([]);
    });

    it('takes the highest of the own and the group role', async () => {
      await h.http.post('/api/v2.0/projects/ldapteam/members').set('Authorization', asAdmin).send({ role_id: 1, member_user: { username: 'alice' } });
      expect(await grantedActions(basic('alice', 'alice-Secret1'), 'repository:ldapteam/app:pull,push,delete')).toEqual(['pull', 'push', 'delete']);
    });

    it('refuses the same group twice and a group nobody registered by name', async () => {
      const twice = await h.http
        .post('/api/v2.0/projects/ldapteam/members')
        .set('Authorization', asAdmin)
        .send({ role_id: 3, member_group: { group_name: 'developers' } });
      expect(twice.status).toBe(409);
      const unknown = await h.http.post('/api/v2.0/projects/ldapteam/members').set('Authorization', asAdmin).send({ role_id: 3, member_group: { group_name: 'nobody' } });
      expect(unknown.status).toBe(400);
      const oidc = await h.http.post('/api/v2.0/projects/ldapteam/members').set('Authorization', asAdmin).send({ role_id: 3, member_group: { group_name: 'developers', group_type: 3 } });
      expect(oidc.status).toBe(400);
    });
  });

  describe('/ldap endpoints', () => {
    it('pings the configured directory and a given one, sysadmin only', async () => {
      expect((await h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin)).body).toEqual({ success: true, message: 'success' });
      const wrong = await h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin).send({ ldap_search_password: 'wrong' });
      expect(wrong.status).toBe(200);
      expect(wrong.body.success).toBe(false);
      const nowhere = await h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin).send({ ldap_url: 'ldap://127.0.0.1:1', ldap_connection_timeout: 1 });
      expect(nowhere.body.success).toBe(false);
      expect((await h.http.post('/api/v2.0/ldap/ping').set('Authorization', basic('alice', 'alice-Secret1'))).status).toBe(403);
      expect((await h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin).send({ ldap_scope: 7 })).status).toBe(400);
    });

    it('searches people and groups', async () => {
      const people = await h.http.get('/api/v2.0/ldap/users/search').query({ username: 'ali' }).set('Authorization', asAdmin);
      expect(people.status).toBe(200);
      expect(people.body).toEqual([{ username: 'alice', realname: 'Alice Liddell', email: 'alice@example.test' }]);
      const star = await h.http.get('/api/v2.0/ldap/users/search').query({ username: '*' }).set('Authorization', asAdmin);
      expect(star.body).toEqual([]);
      const groups = await h.http.get('/api/v2.0/ldap/groups/search').query({ groupname: 'guests' }).set('Authorization', asAdmin);
      expect(groups.body).toEqual([{ group_name: 'guests', group_type: 1, ldap_group_dn: slapd.groupDn('guests') }]);
      const byDn = await h.http.get('/api/v2.0/ldap/groups/search').query({ groupdn: slapd.groupDn('developers') }).set('Authorization', asAdmin);
      expect(byDn.body.map((g: { group_name: string }) => g.group_name)).toEqual(['developers']);
      expect((await h.http.get('/api/v2.0/ldap/groups/search').set('Authorization', asAdmin)).status).toBe(400);
      expect((await h.http.get('/api/v2.0/ldap/groups/search').query({ groupdn: 'no dn at all' }).set('Authorization', asAdmin)).status).toBe(400);
      const missing = await h.http.get('/api/v2.0/ldap/groups/search').query({ groupdn: slapd.groupDn('nosuch') }).set('Authorization', asAdmin);
      expect(missing.status).toBe(200);
      expect(missing.body).toEqual([]);
      const hostile = await h.http.get('/api/v2.0/ldap/groups/search').query({ groupname: '*' }).set('Authorization', asAdmin);
      expect(hostile.body).toEqual([]);
      expect((await h.http.get('/api/v2.0/ldap/users/search').set('Authorization', basic('alice', 'alice-Secret1'))).status).toBe(403);
    });

    it('imports people, reporting the ones it could not', async () => {
      const res = await h.http.post('/api/v2.0/ldap/users/import').set('Authorization', asAdmin).send({ ldap_uid_list: ['zed', 'nosuchuid'] });
      expect(res.status).toBe(404);
      expect(res.body).toEqual([{ uid: 'nosuchuid', error: expect.any(String) }]);
      expect(await usersNamed('zed')).toHaveLength(1);
    });
  });

  describe('an unreachable directory', () => {
    it('answers logins with a clear 503 within the timeout, and the admin still gets in', async () => {
      await slapd.stop();
      try {
        const started = Date.now();
        const res = await currentUser(basic('frank', 'frank-Secret1'));
        expect(res.status).toBe(503);
        expect(res.body.errors[0].message).toMatch(/LDAP directory is unavailable/);
        expect(Date.now() - started).toBeLessThan(3 * timeoutSeconds * 1000 + 5000);
        expect((await currentUser(asAdmin)).status).toBe(200);
        const ping = await h.http.post('/api/v2.0/ldap/ping').set('Authorization', asAdmin);
        expect(ping.body.success).toBe(false);
        expect((await h.http.get('/api/v2.0/ldap/users/search').set('Authorization', asAdmin)).status).toBe(503);
      } finally {
        await slapd.restart();
      }
      expect((await currentUser(basic('frank', 'frank-Secret1'))).status).toBe(200);
    }, 60_000);

    it('keeps recently verified logins working from the cache while the directory is down', async () => {
      expect((await currentUser(basic('bob', 'bob-Secret1'))).status).toBe(200);
      await slapd.stop();
      try {
        expect((await currentUser(basic('bob', 'bob-Secret1'))).status).toBe(200);
        expect((await currentUser(basic('bob', 'bob-wrong'))).status).toBe(503);
      } finally {
        await slapd.restart();
      }
    }, 60_000);

    it('answers 503, not 401, when the directory refuses the search account', async () => {
      const misconfigured = await h.startAnother({ authMode: 'ldap_auth', ldap: { ...ldapConfig(slapd), searchPassword: 'not-the-root-password' } });
      const res = await fetch(`http://127.0.0.1:${misconfigured.port}/api/v2.0/users/current`, { headers: { authorization: basic('dave', 'dave-Secret1') } });
      expect(res.status).toBe(503);
    });

    it('does not hang when the directory accepts connections but never answers', async () => {
      slapd.freeze();
      try {
        const started = Date.now();
        const res = await currentUser(basic('dave', 'dave-wrong-password'));
        expect(res.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(3 * timeoutSeconds * 1000 + 5000);
      } finally {
        slapd.thaw();
      }
    }, 60_000);
  });
});
