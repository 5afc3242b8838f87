import { join } from 'node:path';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(180_000);

/**
 * Robot accounts with a real registry client: a robot logs in with skopeo
 * under its `robot$<project>+<name>` name and gets exactly the repository
 * actions its permissions list.
 */
describe('robot accounts with skopeo through the proxy', () => {
  let suite: RunningSuite;
  let image: BuiltImage;
  const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });

  async function createRobot(name: string, actions: string[]): Promise<{ id: number; name: string; secret: string }> {
    const res = await fetch(`${suite.url}/api/v2.0/robots`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        level: 'project',
        duration: -1,
        permissions: [{ kind: 'project', namespace: 'robots', access: actions.map((action) => ({ resource: 'repository', action })) }],
      }),
    });
    if (res.status !== 201) throw new Error(`creating robot ${name}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: number; name: string; secret: string };
  }

  async function loginAs(robot: { name: string; secret: string }): Promise<string> {
    const authfile = join(suite.dir, `${robot.name.replace(/[^a-z0-9]/g, '_')}.json`);
    ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile, '-u', robot.name, '-p', robot.secret, suite.host), `skopeo login ${robot.name}`);
    return authfile;
  }

  beforeAll(async () => {
    suite = await startSuite();
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    await api.createProject('robots', false);
    image = buildOciLayout(join(suite.dir, 'image'), '1');
    const adminAuth = join(suite.dir, 'admin.json');
    ok(await skopeo('login', '--tls-verify=false', '--authfile', adminAuth, '-u', 'admin', '-p', suite.adminPassword, suite.host), 'admin login');
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', adminAuth, `oci:${image.dir}:1`, `docker://${suite.host}/robots/app:1`), 'admin push');
  });
  afterAll(async () => suite?.stop());

  it('lets a pull-only robot pull but not push', async () => {
    const puller = await createRobot('puller', ['pull']);
    expect(puller.name).toBe('robot$robots+puller');
    const authfile = await loginAs(puller);

    const pulled = join(suite.dir, 'pulled');
    ok(await skopeo('copy', '--src-tls-verify=false', '--authfile', authfile, `docker://${suite.host}/robots/app:1`, `oci:${pulled}:1`), 'robot pull');
    const inspected = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile, `docker://${suite.host}/robots/app:1`), 'robot inspect');
    expect(JSON.parse(inspected.stdout).layers[0].digest).toBe(image.layerDigest);

    const push = await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, `docker://${suite.host}/robots/app:pushed-by-puller`);
    expect(push.code).not.toBe(0);
    expect(push.stderr.toLowerCase()).toMatch(/unauthorized|denied|authentication required|401|403/);
    const check = await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile, `docker://${suite.host}/robots/app:pushed-by-puller`);
    expect(check.code).not.toBe(0);
  });

  it('lets a robot with push permission push', async () => {
    const pusher = await createRobot('pusher', ['pull', 'push']);
    const authfile = await loginAs(pusher);
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, `docker://${suite.host}/robots/app:2`), 'robot push');
    const inspected = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile, `docker://${suite.host}/robots/app:2`), 'robot inspect');
    expect(JSON.parse(inspected.stdout).layers[0].digest).toBe(image.layerDigest);
  });

  it('refuses a robot’s login with a wrong secret, and after the robot is deleted', async () => {
    const gone = await createRobot('gone', ['pull']);
    const wrong = await skopeo('login', '--tls-verify=false', '--authfile', join(suite.dir, 'wrong.json'), '-u', gone.name, '-p', 'Wr0ngSecret123', suite.host);
    expect(wrong.code).not.toBe(0);
    const del = await fetch(`${suite.url}/api/v2.0/robots/${gone.id}`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}` },
    });
    expect(del.status).toBe(200);
    const afterDelete = await skopeo('login', '--tls-verify=false', '--authfile', join(suite.dir, 'gone.json'), '-u', gone.name, '-p', gone.secret, suite.host);
    expect(afterDelete.code).not.toBe(0);
  });
});
