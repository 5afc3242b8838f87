import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(180_000);

/**
 * The three flows of DESIGN.md with skopeo: log in, push, pull back, and the
 * access rules around them (wrong password, no role, anonymous, private).
 */
describe('skopeo against the whole suite through the proxy', () => {
  let suite: RunningSuite;
  let api: HarborApi;
  let image: BuiltImage;
  const userPassword = `Us3r${randomBytes(6).toString('hex')}`;

  const authfile = () => join(suite.dir, 'skopeo-auth.json');
  const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });

  beforeAll(async () => {
    suite = await startSuite();
    api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    image = buildOciLayout(join(suite.dir, 'image'), '1');
    await api.createUser('nobody', userPassword);
    await api.createUser('dev', userPassword);
    await api.createProject('secret', false);
    await api.addMember('secret', 'dev', 2);
  });
  afterAll(async () => suite?.stop());

  it('logs in as admin, pushes an image built here, and pulls back the same digest', async () => {
    ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile(), '-u', 'admin', '-p', suite.adminPassword, suite.host), 'skopeo login');
    const ref = `docker://${suite.host}/library/hello:1`;
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile(), `oci:${image.dir}:1`, ref), 'skopeo copy (push)');

    const raw = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), ref), 'skopeo inspect');
    expect(raw.stdout).toBe(readFileSync(join(image.dir, 'blobs', 'sha256', image.manifestDigest.slice(7)), 'utf8'));

    const pulled = join(suite.dir, 'pulled');
    ok(await skopeo('copy', '--src-tls-verify=false', '--authfile', authfile(), ref, `oci:${pulled}:1`), 'skopeo copy (pull)');
    const index = JSON.parse(readFileSync(join(pulled, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests[0]!.digest).toBe(image.manifestDigest);
    expect(readFileSync(join(pulled, 'blobs', 'sha256', image.layerDigest.slice(7)))).toEqual(
      readFileSync(join(image.dir, 'blobs', 'sha256', image.layerDigest.slice(7))),
    );
  });

  it('refuses a wrong password at login', async () => {
    const result = await skopeo('login', '--tls-verify=false', '--authfile', join(suite.dir, 'bad.json'), '-u', 'admin', '-p', 'Wrong-passw0rd', suite.host);
    expect(result.code).not.toBe(0);
    expect(result.stderr.toLowerCase()).toMatch(/unauthorized|401|invalid username\/password/);
  });

  it('lets anyone pull from the public library project without logging in', async () => {
    const result = ok(
      await skopeo('inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${suite.host}/library/hello:1`),
      'anonymous inspect',
    );
    expect(JSON.parse(result.stdout).layers[0].digest).toBe(image.layerDigest);
  });

  it('lets a developer push to a private project, and hides it from anonymous users and non-members', async () => {
    const devAuth = join(suite.dir, 'dev.json');
    ok(await skopeo('login', '--tls-verify=false', '--authfile', devAuth, '-u', 'dev', '-p', userPassword, suite.host), 'dev login');
    const ref = `docker://${suite.host}/secret/app:1`;
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', devAuth, `oci:${image.dir}:1`, ref), 'dev push');

    const anonymous = await skopeo('inspect', '--raw', '--tls-verify=false', '--no-creds', ref);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr.toLowerCase()).toMatch(/unauthorized|authentication required|denied|401/);

    const nobodyAuth = join(suite.dir, 'nobody.json');
    ok(await skopeo('login', '--tls-verify=false', '--authfile', nobodyAuth, '-u', 'nobody', '-p', userPassword, suite.host), 'nobody login');
    const asNobody = await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', nobodyAuth, ref);
    expect(asNobody.code).not.toBe(0);
  });

  it('refuses a push from a user with no role in the project', async () => {
    const nobodyAuth = join(suite.dir, 'nobody.json');
    const result = await skopeo('copy', '--dest-tls-verify=false', '--authfile', nobodyAuth, `oci:${image.dir}:1`, `docker://${suite.host}/secret/intruder:1`);
    expect(result.code).not.toBe(0);
    expect(result.stderr.toLowerCase()).toMatch(/unauthorized|authentication required|denied|401|403/);
    // Nor may a logged-in user without a role push to the public library project.
    const library = await skopeo('copy', '--dest-tls-verify=false', '--authfile', nobodyAuth, `oci:${image.dir}:1`, `docker://${suite.host}/library/intruder:1`);
    expect(library.code).not.toBe(0);
    const check = await skopeo('inspect', '--raw', '--tls-verify=false', '--no-creds', `docker://${suite.host}/library/intruder:1`);
    expect(check.code).not.toBe(0);
  });
});
