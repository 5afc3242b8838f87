import { join } from 'node:path';
import { writeScratchContext } from '../support/oci-layout';
import { dockerCli, DockerDaemon, startDockerDaemon } from '../support/docker-daemon';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

/** The real docker CLI, against a dockerd the test starts from Debian's docker.io. */
describe('docker against the whole suite through the proxy', () => {
  let suite: RunningSuite;
  let daemon: DockerDaemon;
  const docker = (args: string[], input?: string) => run(dockerCli, args, { env: daemon.env, input, timeoutMs: 180_000 });

  beforeAll(async () => {
    suite = await startSuite();
    daemon = await startDockerDaemon(join(suite.dir, 'docker'));
  });
  afterAll(async () => {
    await daemon?.stop();
    await suite?.stop();
  });

  it('logs in, builds, pushes, and pulls back the same digest', async () => {
    const ref = `${suite.host}/library/docker-hello:1`;
    ok(await docker(['login', '-u', 'admin', '--password-stdin', suite.host], suite.adminPassword), 'docker login');
    ok(await docker(['build', '-t', ref, writeScratchContext(join(suite.dir, 'ctx'))]), 'docker build');
    const push = ok(await docker(['push', ref]), 'docker push');
    const pushed = /digest: (sha256:[a-f0-9]{64})/.exec(push.stdout)?.[1];
    expect(pushed).toBeDefined();

    ok(await docker(['rmi', ref]), 'docker rmi');
    const pull = ok(await docker(['pull', ref]), 'docker pull');
    expect(/Digest: (sha256:[a-f0-9]{64})/.exec(pull.stdout)?.[1]).toBe(pushed);
    const repoDigests = ok(await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]), 'docker inspect').stdout;
    expect(repoDigests).toContain(`${suite.host}/library/docker-hello@${pushed}`);
  });

  it('refuses a wrong password at login', async () => {
    const result = await docker(['login', '-u', 'admin', '--password-stdin', suite.host], 'Wrong-passw0rd');
    expect(result.code).not.toBe(0);
    expect(result.stderr.toLowerCase()).toMatch(/unauthorized|401|incorrect username or password/);
  });
});
