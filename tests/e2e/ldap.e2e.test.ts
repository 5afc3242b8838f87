import { join } from 'node:path';
import { Slapd, startSlapd } from '@harbor/testkit';
import { writeScratchContext } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';
import { ldapCfgFor } from '../support/ldap-cfg';

jest.setTimeout(300_000);

/**
 * auth_mode = ldap_auth end to end: a real slapd, the whole suite rendered by
 * prepare with the ldap_* keys, and podman logging in as directory users.
 * A project gives the LDAP group `developers` the developer role; its member
 * pushes, a directory user outside the group cannot.
 */
describe('LDAP users with podman against the whole suite', () => {
  let slapd: Slapd;
  let suite: RunningSuite;

  const podman = (...args: string[]) =>
    run('podman', ['--root', join(suite.dir, 'podman', 'root'), '--runroot', join(suite.dir, 'podman', 'run'), '--storage-driver', 'vfs', ...args], {
      timeoutMs: 180_000,
      env: { REGISTRY_AUTH_FILE: join(suite.dir, 'podman-auth.json') },
    });

  async function api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    slapd = await startSlapd({
      users: [
        { uid: 'ldapdev', password: 'Dev-pass-1', cn: 'LDAP Developer', mail: 'ldapdev@example.test' },
        { uid: 'ldapout', password: 'Out-pass-1', cn: 'LDAP Outsider' },
      ],
      groups: [{ cn: 'developers', members: ['ldapdev'] }],
    });
    suite = await startSuite(ldapCfgFor(slapd));
  });
  afterAll(async () => {
    await suite?.stop();
    await slapd?.close();
  });

  it('lets a member of the LDAP group that is developer push, and refuses a directory user outside it', async () => {
    expect((await api('POST', '/projects', { project_name: 'ldapteam', metadata: { public: 'false' } })).status).toBe(201);
    const added = await api('POST', '/projects/ldapteam/members', { role_id: 2, member_group: { ldap_group_dn: slapd.groupDn('developers') } });
    expect(added.status).toBe(201);

    const ref = `${suite.host}/ldapteam/ldap-hello:1`;
    ok(await podman('login', '--tls-verify=false', '-u', 'ldapdev', '-p', 'Dev-pass-1', suite.host), 'podman login as ldapdev');
    ok(await podman('build', '--format', 'oci', '-t', ref, writeScratchContext(join(suite.dir, 'ctx'))), 'podman build');
    ok(await podman('push', '--tls-verify=false', ref), 'podman push as ldapdev');

    // The directory user was created at the first login, from the entry.
    const users = await api('GET', '/users?q=username%3Dldapdev');
    expect(await users.json()).toEqual([expect.objectContaining({ username: 'ldapdev', email: 'ldapdev@example.test', realname: 'LDAP Developer' })]);

    ok(await podman('logout', suite.host), 'podman logout');
    ok(await podman('login', '--tls-verify=false', '-u', 'ldapout', '-p', 'Out-pass-1', suite.host), 'podman login as ldapout');
    const denied = await podman('push', '--tls-verify=false', ref);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr.toLowerCase()).toMatch(/unauthorized|denied|authentication required|401|403/);
  });

  it('refuses a wrong directory password at podman login', async () => {
    const result = await podman('login', '--tls-verify=false', '-u', 'ldapdev', '-p', 'Wrong-pass-1', suite.host);
    expect(result.code).not.toBe(0);
    expect(result.stderr.toLowerCase()).toMatch(/unauthorized|401|invalid username\/password/);
  });
});
