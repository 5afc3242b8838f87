import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from '@harbor/testkit';
import { HarborApi } from '../support/harbor-api';
import { startSuite } from '../support/suite';
import { pidsListeningOn } from './cpu';
import type { Registry } from './registry-client';

/** One registry under test, running on this machine. */
export interface Target extends Registry {
  key: 'ours' | 'theirs';
  /** Extra skopeo arguments for credentials, given as `--src-creds` or `--dest-creds`. */
  skopeoCreds(side: 'src' | 'dest'): string[];
  /** `Basic …` for the admin, where the target has users (ours). */
  adminBasic?: string;
  /** What the process printed, for failure messages. */
  output(): string;
  /** The target's own server processes, whose CPU time the bench adds up (ours: not MariaDB, which is shared). */
  serverPids(): Promise<number[]>;
  stop(): Promise<void>;
}

export const benchProject = 'bench';

/**
 * Harbor-TS as shipped: the whole suite from a rendered harbor.cfg
 * (tests/support/suite.ts), measured through the proxy with token auth. The
 * bench asks core's token service for each repository scope once, as admin,
 * and then sends `Authorization: Bearer` like any docker client would.
 */
export async function startHarbor(options: { cpuProfileDir?: string; logLevel?: string } = {}): Promise<Target> {
  const saved = process.env.NODE_OPTIONS;
  // Children inherit the environment: with a profile dir every service writes a .cpuprofile when it stops.
  if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
  if (options.cpuProfileDir) process.env.NODE_OPTIONS = `${saved ?? ''} --require ${join(__dirname, 'cpu-profile.preload.js')}`.trim();
  let suite;
  try {
    // harbor.cfg's log_level, for measuring what logging costs (the default is the shipped `info`).
    suite = await startSuite(options.logLevel ? { log_level: options.logLevel } : {});
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
  const running = suite;
  try {
    await new HarborApi(running.url, 'admin', running.adminPassword).createProject(benchProject, false);
  } catch (err) {
    await running.stop();
    throw err;
  }
  const tokens = new Map<string, string>();
  const basic = `Basic ${Buffer.from(`admin:${running.adminPassword}`).toString('base64')}`;
  return {
    key: 'ours',
    url: running.url,
    async authorization(repository, actions) {
      const scope = `repository:${repository}:${actions}`;
      let token = tokens.get(scope);
      if (!token) {
        const res = await fetch(`${running.url}/service/token?service=harbor-registry&scope=${encodeURIComponent(scope)}`, {
          headers: { authorization: basic },
        });
        if (res.status !== 200) throw new Error(`token for ${scope}: ${res.status} ${await res.text()}`);
        token = ((await res.json()) as { token: string }).token;
        tokens.set(scope, token);
      }
      return `Bearer ${token}`;
    },
    skopeoCreds: (side) => [`--${side}-creds`, `admin:${running.adminPassword}`],
    adminBasic: basic,
    serverPids: () => pidsListeningOn([running.ports.proxy, running.ports.registry, running.ports.core, running.ports.log]),
    output: () => (['proxy', 'registry', 'core'] as const).map((s) => `--- ${s}\n${running.output(s).slice(-1500)}`).join('\n'),
    stop: () => running.stop(),
  };
}

/**
 * CNCF Distribution 2.8 (Debian's `docker-registry`) as Harbor ships it
 * behind its own proxy, but reached directly here: filesystem storage in a
 * temp dir, in-memory blob descriptor cache, no auth, deletes enabled.
 */
export async function startDistribution(): Promise<Target> {
  const tmp = tempDir('harbor-bench-distribution-');
  const port = await freePort();
  const storage = join(tmp.path, 'storage');
  mkdirSync(storage);
  const configPath = join(tmp.path, 'config.yml');
  writeFileSync(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  fields:',
      '    service: registry',
      'storage:',
      '  cache:',
      '    blobdescriptor: inmemory',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  headers:',
      '    X-Content-Type-Options: [nosniff]',
      '',
    ].join('\n'),
  );
  const logPath = join(tmp.path, 'registry.log');
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp.path });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const output = () => {
    try {
      return readFileSync(logPath, 'utf8').slice(-3000);
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      });
    }
    log.end();
    tmp.remove();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'Distribution answering /v2/',
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${output()}`);
        return (await fetch(`${url}/v2/`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { key: 'theirs', url, authorization: async () => undefined, skopeoCreds: () => [], output, serverPids: async () => [child.pid!], stop };
}
