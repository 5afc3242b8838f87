import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeScratchContext } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(240_000);

/** podman with its own storage and auth file, so the test touches nothing of the machine's. */
describe('podman against the whole suite through the proxy', () => {
  let suite: RunningSuite;
  const podman = (...args: string[]) =>
    run('podman', ['--root', join(suite.dir, 'podman', 'root'), '--runroot', join(suite.dir, 'podman', 'run'), '--storage-driver', 'vfs', ...args], {
      timeoutMs: 180_000,
      env: { REGISTRY_AUTH_FILE: join(suite.dir, 'podman-auth.json') },
    });

  beforeAll(async () => {
    suite = await startSuite();
  });
  afterAll(async () => suite?.stop());

  it('logs in, pushes an image it built, pulls it back with the same digest', async () => {
    const ref = `${suite.host}/library/podman-hello:1`;
    ok(await podman('login', '--tls-verify=false', '-u', 'admin', '-p', suite.adminPassword, suite.host), 'podman login');
    ok(await podman('build', '--format', 'oci', '-t', ref, writeScratchContext(join(suite.dir, 'ctx'))), 'podman build');
    const digestFile = join(suite.dir, 'digest');
    ok(await podman('push', '--tls-verify=false', '--digestfile', digestFile, ref), 'podman push');
    const pushed = readFileSync(digestFile, 'utf8').trim();
    expect(pushed).toMatch(/^sha256:[a-f0-9]{64}$/);

    ok(await podman('rmi', '-f', ref), 'podman rmi');
    ok(await podman('pull', '--tls-verify=false', ref), 'podman pull');
    const inspected = ok(await podman('image', 'inspect', '--format', '{{.Digest}}', ref), 'podman inspect').stdout.trim();
    expect(inspected).toBe(pushed);
  });

  it('refuses a wrong password', async () => {
    const result = await podman('login', '--tls-verify=false', '-u', 'admin', '-p', 'Not-the-passw0rd', suite.host);
    expect(result.code).not.toBe(0);
    expect(result.stderr.toLowerCase()).toMatch(/unauthorized|401|invalid username\/password/);
  });
});
