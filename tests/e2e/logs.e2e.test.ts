import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@harbor/testkit';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(120_000);

describe('the log collector of a running suite', () => {
  let suite: RunningSuite;
  beforeAll(async () => {
    suite = await startSuite();
    // Traffic through each service, so each has something to say.
    await fetch(`${suite.url}/v2/`);
    await fetch(`${suite.url}/api/v2.0/ping`);
    await fetch(`${suite.url}/api/v2.0/health`);
  });
  afterAll(async () => suite?.stop());

  const read = (name: string) => {
    const path = join(suite.logDir, `${name}.log`);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  };

  it.each(['proxy', 'registry', 'core', 'jobservice', 'log'])('has lines from %s in its own file', async (service) => {
    await waitFor(`${service}.log to have lines`, () => read(service).split('\n').filter(Boolean).length > 0, { timeoutMs: 20_000 });
    expect(read(service)).toMatch(new RegExp(`\\b${service}\\b`));
  });

  it('files the proxied requests with their paths', async () => {
    // Each service sends its lines on its own connection in batches, so neither file waits for the other.
    await waitFor('proxy access lines', () => read('proxy').includes('/api/v2.0/ping'), { timeoutMs: 20_000 });
    await waitFor('core access lines', () => read('core').includes('/api/v2.0/ping'), { timeoutMs: 20_000 });
    expect(read('core')).toContain('/api/v2.0/ping');
  });

  it('accepts lines from the standard logger tool, RFC 5424 over UDP and RFC 3164 over TCP', async () => {
    const udp = `udp-${randomBytes(4).toString('hex')}`;
    const tcp = `tcp-${randomBytes(4).toString('hex')}`;
    ok(await run('logger', ['-n', '127.0.0.1', '-P', String(suite.ports.log), '--rfc5424', '-t', 'x', udp]), 'logger udp');
    ok(await run('logger', ['-T', '-n', '127.0.0.1', '-P', String(suite.ports.log), '--rfc3164', '-t', 'x', tcp]), 'logger tcp');
    await waitFor('x.log to hold both lines', () => read('x').includes(udp) && read('x').includes(tcp), { timeoutMs: 10_000 });
  });
});
