import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@harbor/testkit';
import { run } from './run-command';

/** Debian's docker.io CLI when present (it matches its dockerd), else whatever `docker` is on PATH. */
export const dockerCli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

export interface DockerDaemon {
  /** Environment for the docker CLI: its own socket and its own config dir (login state). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Starts Debian's dockerd on a private socket and data root, with no
 * networking of its own (this machine has none to give it): enough for
 * build, login, push and pull against a registry on 127.0.0.1, which Docker
 * treats as insecure-allowed by default.
 */
export async function startDockerDaemon(dir: string): Promise<DockerDaemon> {
  mkdirSync(join(dir, 'config'), { recursive: true });
  const socket = join(dir, 'docker.sock');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=vfs',
      '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${socket}`,
    ],
    { stdio: ['ignore', log, log] },
  );
  const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'config'), DOCKER_BUILDKIT: '0' };
  await waitFor('dockerd', async () => (await run(dockerCli, ['info', '--format', '{{.ServerVersion}}'], { env })).code === 0, {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  return {
    env,
    stop: () =>
      new Promise<void>((resolve) => {
        if (daemon.exitCode !== null) return resolve();
        const timer = setTimeout(() => daemon.kill('SIGKILL'), 15_000);
        daemon.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        daemon.kill('SIGTERM');
      }),
  };
}
