import { parseCfg } from './cfg.parser';
import { validateCfg } from './cfg.validator';
import { externalUrlOf, topologyOf } from './topology';

function cfgOf(extra: string) {
  const result = validateCfg(parseCfg(`hostname = reg.example.test\ndb_password =\n${extra}`), { fileExists: () => true });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.cfg;
}

describe('external URL', () => {
  it.each([
    ['http', 80, 443, 'http://reg.example.test'],
    ['http', 8081, 443, 'http://reg.example.test:8081'],
    ['https', 80, 443, 'https://reg.example.test'],
    ['https', 80, 8443, 'https://reg.example.test:8443'],
    ['https', 443, 80, 'https://reg.example.test:80'],
  ] as const)('%s with http_port %p and https_port %p is %s', (protocol, httpPort, httpsPort, url) => {
    expect(externalUrlOf({ ui_url_protocol: protocol, hostname: 'reg.example.test', http_port: httpPort, https_port: httpsPort })).toBe(url);
  });

  it('keeps an IPv6 hostname in brackets', () => {
    expect(externalUrlOf({ ui_url_protocol: 'http', hostname: '[::1]', http_port: 8080, https_port: 443 })).toBe('http://[::1]:8080');
  });
});

describe('topology', () => {
  it('natively reaches every service on internal_bind_host and its port', () => {
    const t = topologyOf(cfgOf('internal_bind_host = 10.0.0.5\ncore_port = 9000\n'), 'native');
    expect(t.urls).toEqual({ registry: 'http://10.0.0.5:5050', core: 'http://10.0.0.5:9000', jobservice: 'http://10.0.0.5:8090' });
    expect(t.bindHost).toBe('10.0.0.5');
    expect(t.logCollector).toEqual({ host: '10.0.0.5', port: 1514 });
    expect(t.secrets.privateKey).toBe('/data/token/private_key.pem');
  });

  it('under compose reaches services by name, binds 0.0.0.0 and uses container paths', () => {
    const t = topologyOf(cfgOf('secretkey_path = /srv/secrets\ndata_volume = /srv/data\n'), 'compose');
    expect(t.urls).toEqual({ registry: 'http://registry:5050', core: 'http://core:8080', jobservice: 'http://jobservice:8090' });
    expect(t.bindHost).toBe('0.0.0.0');
    expect(t.logCollector.host).toBe('log');
    expect(t.dataDirectory).toBe('/data');
    expect(t.secrets.internalSecret).toBe('/etc/harbor/secrets/internal_secret');
  });

  it('under compose turns a loopback database and Redis into the bundled containers, and keeps external ones', () => {
    const bundled = topologyOf(cfgOf('db_host = localhost\ndb_port = 3307\nredis_url = 127.0.0.1:6390/3\n'), 'compose');
    expect(bundled.database).toEqual({ host: 'mariadb', port: 3306 });
    expect(bundled.redisUrl).toBe('redis://redis:6379/3');
    expect(bundled.bundled).toEqual({ mariadb: true, redis: true });

    const external = topologyOf(cfgOf('db_host = db.example.test\nredis_url = redis://cache.example.test:6380/1\n'), 'compose');
    expect(external.database).toEqual({ host: 'db.example.test', port: 3306 });
    expect(external.redisUrl).toBe('redis://cache.example.test:6380/1');
    expect(external.bundled).toEqual({ mariadb: false, redis: false });
  });
});
