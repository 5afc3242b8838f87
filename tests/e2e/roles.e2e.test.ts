import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(180_000);

/** Harbor's role matrix as real clients meet it: what each role's docker-style login may do. */
describe('project roles with skopeo through the whole suite', () => {
  let suite: RunningSuite;
  let image: BuiltImage;
  const password = `R0le${randomBytes(6).toString('hex')}`;
  const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });
  const creds = (user: string) => ['--creds', `${user}:${password}`];
  const ref = (name: string) => `docker://${suite.host}/team/${name}`;

  beforeAll(async () => {
    suite = await startSuite();
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    image = buildOciLayout(join(suite.dir, 'image'), '1');
    await api.createProject('team', false);
    for (const [user, role] of [['dev', 2], ['guest', 3], ['maint', 4]] as const) {
      await api.createUser(user, password);
      await api.addMember('team', user, role);
    }
  });
  afterAll(async () => suite?.stop());

  it('lets a developer push but not delete', async () => {
    ok(await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `dev:${password}`, `oci:${image.dir}:1`, ref('app:1')), 'developer push');
    const deleted = await skopeo('delete', '--tls-verify=false', ...creds('dev'), ref('app:1'));
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr.toLowerCase()).toMatch(/unauthorized|denied|401|403/);
    // Still there.
    ok(await skopeo('inspect', '--raw', '--tls-verify=false', ...creds('dev'), ref('app:1')), 'inspect after refused delete');
  });

  it('lets a guest pull but not push', async () => {
    const pulled = join(suite.dir, 'guest-pull');
    ok(await skopeo('copy', '--src-tls-verify=false', '--src-creds', `guest:${password}`, ref('app:1'), `oci:${pulled}:1`), 'guest pull');
    const pushed = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `guest:${password}`, `oci:${image.dir}:1`, ref('guest-app:1'));
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr.toLowerCase()).toMatch(/unauthorized|denied|401|403/);
  });

  it('lets a maintainer delete, after which nobody can pull it', async () => {
    ok(await skopeo('delete', '--tls-verify=false', ...creds('maint'), ref('app:1')), 'maintainer delete');
    const gone = await skopeo('inspect', '--raw', '--tls-verify=false', ...creds('dev'), ref('app:1'));
    expect(gone.code).not.toBe(0);
    expect(gone.stderr.toLowerCase()).toMatch(/manifest unknown|not found/);
  });
});
