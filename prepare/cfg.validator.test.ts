import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfgIssue } from './cfg-issue';
import { parseCfg } from './cfg.parser';
import { cfgKeyNames, cfgKeys } from './cfg.schema';
import { validateCfg, type ValidatedCfg } from './cfg.validator';

const minimal = 'hostname = reg.example.test\ndb_password =\n';

function issuesOf(text: string, fileExists = () => true): CfgIssue[] {
  const result = validateCfg(parseCfg(text), { fileExists });
  if (result.ok) throw new Error('expected the cfg to be rejected');
  return result.issues;
}

function valid(text: string): ValidatedCfg {
  const result = validateCfg(parseCfg(text), { fileExists: () => true });
  if (!result.ok) throw new Error(`expected a valid cfg, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

describe('harbor.cfg validation', () => {
  it('fills every key a minimal cfg leaves out with its documented default', () => {
    const { cfg } = valid(minimal);
    expect(cfg).toMatchObject({
      hostname: 'reg.example.test',
      ui_url_protocol: 'http',
      http_port: 80,
      secretkey_path: '/data',
      data_volume: '/data',
      log_location: '/var/log/harbor',
      harbor_admin_password: 'Harbor12345',
      auth_mode: 'db_auth',
      ldap_scope: 'sub',
      self_registration: true,
      token_expiration: 30,
      max_job_workers: 10,
      log_rotate_count: 50,
      log_rotate_size: 200 * 1024 * 1024,
      registry_port: 5050,
      core_port: 8080,
      jobservice_port: 8090,
      log_port: 1514,
      internal_bind_host: '127.0.0.1',
      upload_purge_age_minutes: 1440,
      upload_purge_interval_minutes: 60,
      registry_storage_provider_config: {},
    });
    expect(cfg.redis_url.href).toBe('redis://127.0.0.1:6379/0');
  });

  it('rejects an unknown key with its line, suggesting the key it resembles', () => {
    const issues = issuesOf(`${minimal}\nhttp_prot = 80\n`);
    expect(issues).toEqual([{ key: 'http_prot', line: 4, message: expect.stringContaining('unknown key (did you mean http_port?)') }]);
  });

  it('rejects a duplicate key with the line of the repeat', () => {
    const issues = issuesOf(`${minimal}core_port = 8080\ncore_port = 8081\n`);
    expect(issues).toEqual([{ key: 'core_port', line: 4, message: expect.stringContaining('duplicate key') }]);
  });

  it('rejects a value outside its enumeration, saying which values are allowed', () => {
    const issues = issuesOf(`${minimal}ui_url_protocol = ftp\n`);
    expect(issues).toEqual([{ key: 'ui_url_protocol', line: 3, message: 'expected one of http, https, got "ftp"' }]);
  });

  it.each(['0', '65536', 'eighty', '80.5', '-1', ''])('rejects the port %p', (port) => {
    const issues = issuesOf(`${minimal}registry_port = ${port}\n`);
    expect(issues).toEqual([{ key: 'registry_port', line: 3, message: expect.stringMatching(/^expected a port number 1-65535, got/) }]);
  });

  it.each(['200X', '200 MiB', 'M', '12', '1.5G'])('rejects the rotation size %p', (size) => {
    const issues = issuesOf(`${minimal}log_rotate_size = ${size}\n`);
    expect(issues).toEqual([{ key: 'log_rotate_size', line: 3, message: expect.stringContaining('a number with a K, M or G unit') }]);
  });

  it.each([
    ['1K', 1024],
    ['200M', 200 * 1024 ** 2],
    ['2g', 2 * 1024 ** 3],
    ['10MB', 10 * 1024 ** 2],
    ['4096', 4096],
  ])('reads the rotation size %p as %p bytes', (size, bytes) => {
    expect(valid(`${minimal}log_rotate_size = ${size}\n`).cfg.log_rotate_size).toBe(bytes);
  });

  it('rejects a missing required key without a line, saying what is expected', () => {
    const issues = issuesOf('db_password = x\n');
    expect(issues).toEqual([{ key: 'hostname', line: null, message: expect.stringMatching(/^missing required key: expected the host name/) }]);
  });

  it('requires db_password to be written even though it may be empty', () => {
    expect(issuesOf('hostname = a.test\n')).toEqual([{ key: 'db_password', line: null, message: expect.stringContaining('missing required key') }]);
    expect(valid('hostname = a.test\ndb_password =\n').cfg.db_password).toBe('');
  });

  it('collects every problem in one pass', () => {
    const issues = issuesOf('http_port = x\nauth_mode = kerberos\nfoo = 1\nfoo = 2\n');
    expect(issues.map((i) => [i.key, i.line])).toEqual(
      expect.arrayContaining([
        ['http_port', 1],
        ['auth_mode', 2],
        ['foo', 3],
        ['foo', 4],
        ['hostname', null],
        ['db_password', null],
      ]),
    );
  });

  it('never echoes a password in an error', () => {
    const issues = issuesOf(`${minimal}harbor_admin_password =\nldap_search_pwd = s3cr3t\nregistry_storage_provider_config = secretkey=abc\n`);
    expect(issues.map((i) => i.key)).toEqual(['harbor_admin_password', 'registry_storage_provider_config']);
    expect(JSON.stringify(issues)).not.toContain('abc');
  });

  it('rejects a hostname with a scheme or a port', () => {
    expect(issuesOf('hostname = http://a.test\ndb_password =\n')[0]).toMatchObject({ key: 'hostname', line: 1 });
    expect(issuesOf('hostname = a.test:8080\ndb_password =\n')[0]).toMatchObject({ key: 'hostname', line: 1 });
  });

  it('maps ldap_scope 0/1/2 to base/one/sub and rejects anything else', () => {
    expect(valid(`${minimal}ldap_scope = 0\n`).cfg.ldap_scope).toBe('base');
    expect(valid(`${minimal}ldap_scope = 1\n`).cfg.ldap_scope).toBe('one');
    expect(issuesOf(`${minimal}ldap_scope = sub\n`)[0]).toMatchObject({ key: 'ldap_scope', line: 3 });
  });

  it('reads the LDAP group keys: scope as base/one/sub, a filter with parentheses kept whole', () => {
    const cfg = valid(`${minimal}ldap_group_scope = 1\nldap_group_filter = (&(objectClass=groupOfNames)(cn=harbor-*))\nldap_group_gid = ou\n`).cfg;
    expect(cfg).toMatchObject({ ldap_group_scope: 'one', ldap_group_filter: '(&(objectClass=groupOfNames)(cn=harbor-*))', ldap_group_gid: 'ou' });
    expect(issuesOf(`${minimal}ldap_group_gid = (cn)\n`)[0]).toMatchObject({ key: 'ldap_group_gid', line: 3 });
  });

  it('reads on/off and true/false switches strictly', () => {
    expect(valid(`${minimal}self_registration = off\nldap_verify_cert = false\n`).cfg).toMatchObject({ self_registration: false, ldap_verify_cert: false });
    expect(issuesOf(`${minimal}self_registration = yes\n`)[0]).toMatchObject({ key: 'self_registration', message: 'expected on or off, got "yes"' });
  });

  it('accepts redis_url as a URL or as host:port', () => {
    expect(valid(`${minimal}redis_url = redis://:pw@cache.test:6380/2\n`).cfg.redis_url.href).toBe('redis://:pw@cache.test:6380/2');
    expect(valid(`${minimal}redis_url = cache.test:6380\n`).cfg.redis_url.href).toBe('redis://cache.test:6380/0');
    expect(issuesOf(`${minimal}redis_url = http://cache.test\n`)[0]).toMatchObject({ key: 'redis_url', line: 3 });
    expect(issuesOf(`${minimal}redis_url = redis://cache.test/x\n`)[0]).toMatchObject({ key: 'redis_url', line: 3 });
  });

  it('reads s3 options in Harbor key: value form, values keeping their colons', () => {
    const { cfg } = valid(
      `${minimal}registry_storage_provider_name = s3\nregistry_storage_provider_config = region: us-east-1, bucket: harbor, regionendpoint: http://minio.test:9000\n`,
    );
    expect(cfg.registry_storage_provider_config).toEqual({ region: 'us-east-1', bucket: 'harbor', regionendpoint: 'http://minio.test:9000' });
  });

  it('requires bucket and region for s3 and no options for filesystem', () => {
    expect(issuesOf(`${minimal}registry_storage_provider_name = s3\nregistry_storage_provider_config = bucket: b\n`)).toEqual([
      { key: 'registry_storage_provider_config', line: 4, message: 'expected region for the s3 provider' },
    ]);
    expect(issuesOf(`${minimal}registry_storage_provider_config = rootdirectory: /x\n`)[0]).toMatchObject({ key: 'registry_storage_provider_config', line: 3 });
  });

  it('requires existing certificate files when ui_url_protocol = https', () => {
    const issues = issuesOf(`${minimal}ui_url_protocol = https\nssl_cert = /nowhere/cert.pem\nssl_cert_key =\n`, () => false);
    expect(issues).toEqual([
      { key: 'ssl_cert', line: 4, message: expect.stringContaining('/nowhere/cert.pem does not exist') },
      { key: 'ssl_cert_key', line: 5, message: 'expected a path because ui_url_protocol = https' },
    ]);
  });

  it('requires ldap_url and ldap_basedn when auth_mode = ldap_auth', () => {
    const issues = issuesOf(`${minimal}auth_mode = ldap_auth\nldap_url =\n`);
    expect(issues.map((i) => [i.key, i.line])).toEqual([
      ['ldap_url', 4],
      ['ldap_basedn', null],
    ]);
  });

  it('rejects two services on one port', () => {
    expect(issuesOf(`${minimal}jobservice_port = 8080\n`)).toEqual([
      { key: 'jobservice_port', line: 3, message: 'expected a port no other service uses, but core_port is also 8080' },
    ]);
  });
});

describe('harbor.cfg.example', () => {
  const text = readFileSync(join(__dirname, '..', 'harbor.cfg.example'), 'utf8');

  it('is a valid cfg', () => {
    expect(valid(text).cfg.hostname).toBe('reg.mydomain.com');
  });

  it('sets every key prepare knows, each under a comment documenting it', () => {
    const parsed = parseCfg(text);
    expect([...parsed.entries.keys()].sort()).toEqual([...cfgKeyNames].sort());
    const lines = text.split('\n');
    for (const entry of parsed.entries.values()) {
      // The key's own comment, or the group comment of the keys directly above it.
      let i = entry.line - 2;
      while (i >= 0 && /^\w+\s*=/.test(lines[i])) i--;
      expect({ key: entry.key, documented: i >= 0 && lines[i].startsWith('#') }).toEqual({ key: entry.key, documented: true });
    }
  });
});

describe('harbor.cfg defaults', () => {
  it('are the values harbor.cfg.example shows, so leaving a key out means what the example says', () => {
    const example = parseCfg(readFileSync(join(__dirname, '..', 'harbor.cfg.example'), 'utf8')).entries;
    const shown: Record<string, string> = {};
    const defaults: Record<string, string> = {};
    for (const name of cfgKeyNames) {
      const spec: { default?: string; required?: true } = cfgKeys[name];
      if (spec.required) continue;
      shown[name] = example.get(name)?.value ?? '(absent)';
      defaults[name] = spec.default ?? '(none)';
    }
    expect(shown).toEqual(defaults);
  });
});
