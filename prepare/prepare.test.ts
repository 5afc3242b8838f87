import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadServiceConfig, serviceConfigSchemas, serviceNames, type CoreConfig, type ProxyConfig, type RegistryConfig } from '@harbor/config';
import { rsaKeyPair, tempDir, type TempDir } from '@harbor/testkit';
import { main } from '../prepare';
import { parseCfg } from './cfg.parser';
import { validateCfg } from './cfg.validator';
import { renderCompose } from './compose.render';
import { runPrepare, type PrepareMode } from './index';
import { repoInfo } from './repo-root';

/**
 * A throwaway installation: harbor.cfg, its secrets (pre-made with a 2048-bit
 * key so these tests need not wait for RSA 4096 generation, which
 * secrets.test.ts covers) and the output directory, all under one temp dir.
 */
class Installation {
  readonly dir: TempDir = tempDir('harbor-prepare-');
  readonly cfgPath = join(this.dir.path, 'harbor.cfg');
  readonly outDir = join(this.dir.path, 'common', 'config');
  readonly composePath = join(this.dir.path, 'docker-compose.yml');
  readonly secretsDir = join(this.dir.path, 'secrets');

  constructor(extra = '') {
    mkdirSync(join(this.secretsDir, 'token'), { recursive: true });
    const { privateKey, publicKey } = rsaKeyPair(2048);
    const files: Record<string, string> = { secretkey: 'a'.repeat(64), internal_secret: 'b'.repeat(64), 'token/private_key.pem': privateKey, 'token/public_key.pem': publicKey };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.secretsDir, name), content, { mode: 0o600 });
    this.writeCfg(extra);
  }

  writeCfg(extra: string): void {
    writeFileSync(
      this.cfgPath,
      [
        '# test installation',
        'hostname = reg.example.test',
        'http_port = 8081',
        `secretkey_path = ${this.secretsDir}`,
        `data_volume = ${join(this.dir.path, 'data')}`,
        `log_location = ${join(this.dir.path, 'log')}`,
        'db_password = pw',
        extra,
      ].join('\n'),
    );
  }

  run(options: { mode?: PrepareMode; check?: boolean; compose?: boolean } = {}) {
    return runPrepare({
      cfgPath: this.cfgPath,
      outDir: this.outDir,
      composePath: options.compose === false ? null : this.composePath,
      mode: options.mode ?? 'native',
      check: options.check,
    });
  }

  cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const base = ['--config', this.cfgPath, '--out', this.outDir, '--compose', this.composePath];
    return main([...base, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
  }

  remove(): void {
    this.dir.remove();
  }
}

const mtimes = (paths: string[]) => paths.map((p) => statSync(p).mtimeMs);

describe('runPrepare', () => {
  let install: Installation;
  beforeEach(() => {
    install = new Installation();
  });
  afterEach(() => install.remove());

  it.each(['native', 'compose'] as const)('in %s mode writes a 0600 config every service accepts', async (mode) => {
    const result = await install.run({ mode });
    expect(Object.keys(result.configPaths).sort()).toEqual([...serviceNames].sort());
    for (const service of serviceNames) {
      const path = result.configPaths[service];
      expect(path).toBe(join(install.outDir, service, 'config.json'));
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(() => loadServiceConfig(serviceConfigSchemas[service], path)).not.toThrow();
    }
  });

  it('natively points services at internal_bind_host, the host paths and the secrets it keeps', async () => {
    install.writeCfg('internal_bind_host = 127.0.0.2\nregistry_port = 5151');
    const { configPaths } = await install.run();
    const registry = loadServiceConfig(serviceConfigSchemas.registry, configPaths.registry) as RegistryConfig;
    const core = loadServiceConfig(serviceConfigSchemas.core, configPaths.core) as CoreConfig;
    expect(registry.listen).toEqual({ host: '127.0.0.2', port: 5151 });
    expect(registry.externalUrl).toBe('http://reg.example.test:8081');
    expect(registry.storage).toEqual({ provider: 'filesystem', rootDirectory: join(install.dir.path, 'data', 'registry') });
    expect(registry.token).toEqual({ issuer: 'harbor-token-issuer', service: 'harbor-registry', publicKeyPath: join(install.secretsDir, 'token', 'public_key.pem') });
    expect(registry.notificationUrl).toBe('http://127.0.0.2:8080/service/notifications');
    expect(registry.log).toEqual({ service: 'registry', level: 'info', syslog: { host: '127.0.0.2', port: 1514, protocol: 'tcp' }, stdout: true });
    expect(core.registryUrl).toBe('http://127.0.0.2:5151');
    expect(core.database).toMatchObject({ host: '127.0.0.1', port: 3306, user: 'root', password: 'pw', database: 'registry' });
    for (const path of [core.token.privateKeyPath, core.token.publicKeyPath, core.internalSecretPath, core.secretKeyPath]) expect(existsSync(path)).toBe(true);
    expect(core.portalDirectory).toBe(join(__dirname, '..', 'services', 'core', 'portal', 'dist'));
  });

  it('under compose uses service names, 0.0.0.0 and paths inside the containers', async () => {
    const { configPaths } = await install.run({ mode: 'compose' });
    const registry = loadServiceConfig(serviceConfigSchemas.registry, configPaths.registry) as RegistryConfig;
    expect(registry.listen).toEqual({ host: '0.0.0.0', port: 5050 });
    expect(registry.storage).toEqual({ provider: 'filesystem', rootDirectory: '/data/registry' });
    expect(registry.database.host).toBe('mariadb');
    expect(registry.redisUrl).toBe('redis://redis:6379/0');
    expect(registry.internalSecretPath).toBe('/etc/harbor/secrets/internal_secret');
    expect(registry.log.syslog).toEqual({ host: 'log', port: 1514, protocol: 'tcp' });
    const core = loadServiceConfig(serviceConfigSchemas.core, configPaths.core) as CoreConfig;
    expect(core.portalDirectory).toBe('/app/services/core/portal/dist');
  });

  it('lets the proxy read the registry\'s filesystem storage and write its uploads: natively the same directory, under compose a read-only mount with uploads/ read-write', async () => {
    const native = await install.run();
    const registryRoot = (loadServiceConfig(serviceConfigSchemas.registry, native.configPaths.registry) as RegistryConfig).storage;
    const nativeProxy = loadServiceConfig(serviceConfigSchemas.proxy, native.configPaths.proxy) as ProxyConfig;
    expect(registryRoot).toEqual({ provider: 'filesystem', rootDirectory: join(install.dir.path, 'data', 'registry') });
    expect(nativeProxy.blobFiles).toEqual({ rootDirectory: join(install.dir.path, 'data', 'registry') });
    expect(nativeProxy.uploadFiles).toEqual({ rootDirectory: join(install.dir.path, 'data', 'registry'), minBytes: 1024 * 1024, pauseAfterRefusals: 3, pauseSeconds: 60, directWrites: true });

    const composed = await install.run({ mode: 'compose' });
    const composeProxy = loadServiceConfig(serviceConfigSchemas.proxy, composed.configPaths.proxy) as ProxyConfig;
    expect(composeProxy.blobFiles).toEqual({ rootDirectory: '/data/registry' });
    expect(composeProxy.uploadFiles).toEqual({ rootDirectory: '/data/registry', minBytes: 1024 * 1024, pauseAfterRefusals: 3, pauseSeconds: 60, directWrites: true });
    const compose = parseYaml(readFileSync(install.composePath, 'utf8'));
    const storageMount = `${join(install.dir.path, 'data')}/registry:/data/registry`;
    expect(compose.services.registry.volumes).toContain(storageMount);
    expect(compose.services.proxy.volumes).toContain(`${storageMount}:ro`);
    // Only uploads/ is writable for the proxy, at the same path, and prepare makes it so Docker does not (root-owned).
    const uploadsMount = `${join(install.dir.path, 'data')}/registry/uploads:/data/registry/uploads`;
    expect(compose.services.proxy.volumes).toContain(uploadsMount);
    expect((compose.services.proxy.volumes as string[]).filter((v) => v.includes('/data/registry') && !v.endsWith(':ro'))).toEqual([uploadsMount]);
    expect(compose.services.registry.volumes).not.toContain(uploadsMount);
    expect(existsSync(join(install.dir.path, 'data', 'registry', 'uploads'))).toBe(true);
  });

  it('gives the proxy the registry\'s internal secret for its hand-over requests: the same file natively, the same mount under compose', async () => {
    const native = await install.run();
    const registry = loadServiceConfig(serviceConfigSchemas.registry, native.configPaths.registry) as RegistryConfig;
    const nativeProxy = loadServiceConfig(serviceConfigSchemas.proxy, native.configPaths.proxy) as ProxyConfig;
    expect(nativeProxy.internalSecretPath).toBe(registry.internalSecretPath);
    expect(readFileSync(nativeProxy.internalSecretPath!, 'utf8').trim()).toMatch(/^[0-9a-f]{32,}$/);

    const composed = await install.run({ mode: 'compose' });
    const composeProxy = loadServiceConfig(serviceConfigSchemas.proxy, composed.configPaths.proxy) as ProxyConfig;
    const composeRegistry = loadServiceConfig(serviceConfigSchemas.registry, composed.configPaths.registry) as RegistryConfig;
    expect(composeProxy.internalSecretPath).toBe(composeRegistry.internalSecretPath);
    const compose = parseYaml(readFileSync(install.composePath, 'utf8'));
    const secretMount = (compose.services.registry.volumes as string[]).find((v) => v.includes('internal_secret'));
    expect(secretMount).toBeDefined();
    expect(compose.services.proxy.volumes).toContain(secretMount);
  });

  it('renders s3 storage options and TLS for the proxy', async () => {
    const cert = join(install.dir.path, 'server.crt');
    writeFileSync(cert, 'pem');
    install.writeCfg(
      `ui_url_protocol = https\nssl_cert = ${cert}\nssl_cert_key = ${cert}\nregistry_storage_provider_name = s3\nregistry_storage_provider_config = region: us-east-1, bucket: blobs`,
    );
    const { configPaths } = await install.run();
    const proxy = JSON.parse(readFileSync(configPaths.proxy, 'utf8'));
    expect(proxy.listen).toEqual({ host: '0.0.0.0', port: 443 });
    expect(proxy.externalUrl).toBe('https://reg.example.test');
    expect(proxy.tls).toEqual({ certPath: cert, keyPath: cert });
    expect(JSON.parse(readFileSync(configPaths.registry, 'utf8')).storage).toEqual({ provider: 's3', options: { region: 'us-east-1', bucket: 'blobs' } });
    // No local blob files to send: bytes go through the registry (or its presigned URLs).
    expect(proxy.blobFiles).toBeNull();
    expect(proxy.uploadFiles).toBeNull();
    await install.run({ mode: 'compose' });
    const compose = parseYaml(readFileSync(install.composePath, 'utf8'));
    expect((compose.services.proxy.volumes as string[]).some((v) => v.includes('/data/registry'))).toBe(false);
  });

  it('a second run with the same cfg writes nothing and keeps every mtime', async () => {
    const first = await install.run();
    expect(first.written.length).toBeGreaterThan(0);
    const files = [...first.written, ...first.unchanged].sort();
    const before = mtimes(files);
    await new Promise((r) => setTimeout(r, 20));
    const second = await install.run();
    expect(second.written).toEqual([]);
    expect(second.unchanged.sort()).toEqual(files);
    expect(mtimes(files)).toEqual(before);
  });

  it('after a cfg change rewrites only the files it affects', async () => {
    await install.run();
    install.writeCfg('jobservice_port = 9090');
    const { written } = await install.run();
    // core calls the jobservice; the compose file probes its health port.
    expect(written.sort()).toEqual([join(install.outDir, 'core', 'config.json'), join(install.outDir, 'jobservice', 'config.json'), install.composePath].sort());
    install.writeCfg('jobservice_port = 9090\nupload_purge_age_minutes = 30');
    expect((await install.run()).written).toEqual([join(install.outDir, 'jobservice', 'config.json')]);
  });

  it('rewrites a config whose permissions were loosened', async () => {
    const { configPaths } = await install.run();
    chmodSync(configPaths.core, 0o644);
    expect((await install.run()).written).toEqual([configPaths.core]);
    expect(statSync(configPaths.core).mode & 0o777).toBe(0o600);
  });

  it('with check reports what would change and writes nothing', async () => {
    const result = await install.run({ check: true });
    expect(result.written).toContain(join(install.outDir, 'core', 'config.json'));
    expect(result.written).toContain(install.composePath);
    expect(existsSync(install.outDir)).toBe(false);
    expect(existsSync(install.composePath)).toBe(false);
  });

  it('writes the compose file and the bundled MariaDB environment, which holds the password, as 0600', async () => {
    await install.run({ mode: 'compose' });
    const compose = parseYaml(readFileSync(install.composePath, 'utf8'));
    expect(Object.keys(compose.services)).toEqual(['log', 'registry', 'core', 'jobservice', 'proxy', 'mariadb', 'redis']);
    expect(compose.services.proxy.ports).toEqual(['8081:8080']);
    expect(compose.services.registry.volumes[0]).toBe('./common/config/registry:/etc/harbor/registry:ro');
    const envPath = join(install.outDir, 'mariadb', 'env');
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(envPath, 'utf8')).toBe("MARIADB_DATABASE='registry'\nMARIADB_ROOT_PASSWORD='pw'\n");
    expect(readFileSync(install.composePath, 'utf8')).not.toContain('pw');
  });

  it('writes nothing when harbor.cfg is invalid', async () => {
    install.writeCfg('core_port = eighty');
    await expect(install.run()).rejects.toThrow(/harbor\.cfg:8: core_port: expected a port number/);
    expect(existsSync(install.outDir)).toBe(false);
    expect(existsSync(install.composePath)).toBe(false);
  });
});

describe('prepare CLI', () => {
  let install: Installation;
  beforeEach(() => {
    install = new Installation();
  });
  afterEach(() => install.remove());

  it('exits 0 and lists what it wrote, then --check exits 0 when nothing would change', async () => {
    const run = await install.cli();
    expect(run.code).toBe(0);
    expect(run.out).toContain(`wrote ${join(install.outDir, 'core', 'config.json')}`);
    const check = await install.cli('--check');
    expect(check).toMatchObject({ code: 0, err: '' });
    expect(check.out).toContain('check: 0 to change');
  });

  it('--check exits 3 naming what would change, and changes nothing', async () => {
    await install.cli();
    install.writeCfg('token_expiration = 60');
    const core = join(install.outDir, 'core', 'config.json');
    const before = readFileSync(core, 'utf8');
    const check = await install.cli('--check');
    expect(check.code).toBe(3);
    expect(check.out).toContain(`would write ${core}`);
    expect(readFileSync(core, 'utf8')).toBe(before);
  });

  it('exits 1 on an invalid cfg, listing every problem with key and line and no stack trace', async () => {
    install.writeCfg('auth_mode = kerberos\nfoo = bar');
    for (const args of [[], ['--check']]) {
      const run = await install.cli(...args);
      expect(run.code).toBe(1);
      expect(run.err).toContain(`${install.cfgPath}:8: auth_mode: expected one of db_auth, ldap_auth, got "kerberos"`);
      expect(run.err).toContain(`${install.cfgPath}:9: foo: unknown key`);
      expect(run.err).toContain('2 problems');
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 1 when the cfg file does not exist', async () => {
    const run = await main(['--config', join(install.dir.path, 'missing.cfg'), '--out', install.outDir, '--no-compose'], { out: () => undefined, err: (l) => expect(l).toMatch(/missing\.cfg/) });
    expect(run).toBe(1);
  });

  it('exits 2 on a bad command line', async () => {
    expect((await install.cli('--mode', 'swarm')).code).toBe(2);
    expect((await install.cli('--frobnicate')).code).toBe(2);
    expect((await install.cli('--out')).code).toBe(2);
  });

  it('--no-compose writes no compose file', async () => {
    expect((await install.cli('--no-compose')).code).toBe(0);
    expect(existsSync(install.composePath)).toBe(false);
  });
});

describe('the committed docker-compose.yml', () => {
  it('is exactly what prepare renders from harbor.cfg.example', () => {
    const { root, version } = repoInfo(__dirname);
    const result = validateCfg(parseCfg(readFileSync(join(root, 'harbor.cfg.example'), 'utf8')));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const rendered = renderCompose(result.value.cfg, { composeDirectory: root, configDirectory: join(root, 'common', 'config'), repoRoot: root, version });
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toBe(rendered);
  });
});
