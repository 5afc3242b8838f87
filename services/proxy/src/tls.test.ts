import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@harbor/testkit';
import type { RunningProxy } from './main';
import { proxyConfig, startProxy, startStandIn, type StandIn } from './__tests__/harness';

describe('proxy terminating TLS', () => {
  let dir: TempDir;
  let registry: StandIn;
  let core: StandIn;
  let proxy: RunningProxy;

  beforeAll(async () => {
    dir = tempDir('proxy-tls-');
    const certPath = join(dir.path, 'server.crt');
    const keyPath = join(dir.path, 'server.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=harbor.test', '-keyout', keyPath, '-out', certPath], {
      stdio: 'ignore',
    });
    registry = await startStandIn('registry');
    core = await startStandIn('core');
    proxy = await startProxy(proxyConfig(registry.url, core.url, { tls: { certPath, keyPath } }));
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.close();
    await core.close();
    dir.remove();
  });

  it('serves https and tells the upstream the client used https on 443', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: proxy.port, path: '/v2/', rejectUnauthorized: false, headers: { Host: 'harbor.test' }, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
    expect(registry.seen[0].headers['x-forwarded-proto']).toBe('https');
    expect(registry.seen[0].headers['x-forwarded-port']).toBe('443');
  });
});
