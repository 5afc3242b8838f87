import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { freePorts, tempDir, testDatabaseServer, waitFor } from '@harbor/testkit';
import { runPrepare } from '../../prepare/index';

const repoRoot = resolve(__dirname, '..', '..');
/** Start order matters only for logs: the collector first, the proxy last. */
const services = ['log', 'registry', 'core', 'jobservice', 'proxy'] as const;
type Service = (typeof services)[number];

export interface RunningSuite {
  /** `http://127.0.0.1:<port>`, the proxy. */
  url: string;
  /** `127.0.0.1:<port>`, as image references write it. */
  host: string;
  adminPassword: string;
  dir: string;
  logDir: string;
  secretDir: string;
  /** The suite's own database, for tests that must age or inspect rows. */
  database: { host: string; port: number; user: string; password: string; database: string };
  ports: Record<Service, number>;
  internalSecret(): string;
  /** Stdout+stderr of a service process, for failure messages. */
  output(service: Service): string;
  stop(): Promise<void>;
}

/**
 * Starts the whole suite from a harbor.cfg rendered by `prepare`, on free
 * ports, against the real MariaDB and Redis, running the built services
 * (`pnpm build` first) exactly as the supervisor would.
 */
export async function startSuite(extraCfg: Record<string, string> = {}): Promise<RunningSuite> {
  const tmp = tempDir('harbor-e2e-');
  const dir = tmp.path;
  const [proxy, registry, core, jobservice, log] = await freePorts(5);
  const ports: Record<Service, number> = { proxy: proxy!, registry: registry!, core: core!, jobservice: jobservice!, log: log! };
  const db = testDatabaseServer();
  const dbName = `harbor_e2e_${randomBytes(5).toString('hex')}`;
  const adminPassword = `Adm1n${randomBytes(6).toString('hex')}`;
  const cfg: Record<string, string> = {
    hostname: '127.0.0.1',
    ui_url_protocol: 'http',
    http_port: String(ports.proxy),
    secretkey_path: join(dir, 'secret'),
    data_volume: join(dir, 'data'),
    log_location: join(dir, 'logs'),
    harbor_admin_password: adminPassword,
    auth_mode: 'db_auth',
    self_registration: 'off',
    token_expiration: '30',
    project_creation_restriction: 'everyone',
    db_host: db.host,
    db_port: String(db.port),
    db_name: dbName,
    db_user: db.user,
    db_password: db.password,
    redis_url: 'redis://127.0.0.1:6379/0',
    redis_key_prefix: `e2e${randomBytes(4).toString('hex')}`,
    max_job_workers: '2',
    log_rotate_count: '5',
    log_rotate_size: '50M',
    registry_storage_provider_name: 'filesystem',
    registry_port: String(ports.registry),
    core_port: String(ports.core),
    jobservice_port: String(ports.jobservice),
    log_port: String(ports.log),
    internal_bind_host: '127.0.0.1',
    ...extraCfg,
  };
  const cfgPath = join(dir, 'harbor.cfg');
  writeFileSync(cfgPath, Object.entries(cfg).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  // As ./install does: the database exists before any service starts.
  const admin = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const outDir = join(dir, 'config');
  const { configPaths } = await runPrepare({ cfgPath, outDir, composePath: null, mode: 'native' });

  const outputDir = join(dir, 'output');
  mkdirSync(outputDir, { recursive: true });
  const children = new Map<Service, ChildProcess>();
  const url = `http://127.0.0.1:${ports.proxy}`;
  const output = (service: Service) => {
    try {
      return readFileSync(join(outputDir, `${service}.out`), 'utf8');
    } catch {
      return '';
    }
  };

  const stop = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
    await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await conn.end();
    if (!process.env.HARBOR_E2E_KEEP) tmp.remove();
  };

  try {
    for (const service of services) {
      const out = createWriteStream(join(outputDir, `${service}.out`));
      const child = spawn(process.execPath, [join(repoRoot, 'services', service, 'dist', 'main.js'), '--config', configPaths[service]], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      });
      child.stdout!.pipe(out);
      child.stderr!.pipe(out);
      children.set(service, child);
      if (service === 'log') await waitFor('log collector', () => tcpOpen(ports.log), { timeoutMs: 20_000 });
    }
    await waitFor(
      'a healthy suite behind the proxy',
      async () => {
        for (const [service, child] of children) {
          if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}:\n${output(service).slice(-3000)}`);
        }
        const res = await fetch(`${url}/api/v2.0/health`);
        if (res.status !== 200) return false;
        const body = (await res.json()) as { status: string };
        return body.status === 'healthy';
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url,
    host: `127.0.0.1:${ports.proxy}`,
    adminPassword,
    dir,
    logDir: cfg.log_location!,
    secretDir: cfg.secretkey_path!,
    database: { host: db.host, port: db.port, user: db.user, password: db.password, database: dbName },
    ports,
    internalSecret: () => readFileSync(join(cfg.secretkey_path!, 'internal_secret'), 'utf8').trim(),
    output,
    stop,
  };
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = require('node:net').connect(port, '127.0.0.1') as import('node:net').Socket;
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}
