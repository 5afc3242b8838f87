import { createSocket, Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@harbor/logging';
import { waitFor } from '@harbor/testkit';
import { Harness, startCore } from './support/core-harness';

const eventsType = 'application/vnd.docker.distribution.events.v1+json';

function pushEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: 'e1',
    timestamp: '2026-11-23T16:00:00Z',
    action: 'push',
    target: {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 512,
      digest: 'sha256:' + 'a'.repeat(64),
      repository: 'library/hello',
      tag: '1',
      url: 'http://registry/v2/library/hello/manifests/sha256:aaa',
    },
    request: { id: 'r1', addr: '10.0.0.1', host: 'harbor', method: 'PUT', useragent: 'docker/27' },
    actor: { name: 'alice' },
    source: { addr: 'registry:5050', instanceID: 'i1' },
    ...overrides,
  };
}

describe('POST /service/notifications', () => {
  let h: Harness;
  let syslog: Socket;
  const lines: string[] = [];

  beforeAll(async () => {
    // Core logs through the real syslog path; the test is the collector.
    syslog = createSocket('udp4');
    syslog.on('message', (msg) => lines.push(msg.toString('utf8')));
    await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', () => r()));
    const port = (syslog.address() as AddressInfo).port;
    // Debug, because pull events are logged at debug (they are one per manifest GET).
    const logger = createLogger({ service: 'core', level: 'debug', syslog: { host: '127.0.0.1', port, protocol: 'udp' }, stdout: false });
    h = await startCore({ logger });
  });
  afterAll(async () => {
    await h.close();
    syslog.close();
  });

  const send = (auth: string | null, body: unknown, type = eventsType) => {
    let req = h.http.post('/service/notifications').set('Content-Type', type);
    if (auth) req = req.set('Authorization', auth);
    return req.send(JSON.stringify(body));
  };

  it('accepts the registry’s events with the internal secret and logs each one (pulls at debug)', async () => {
    const pull = pushEvent({ id: 'e2', action: 'pull', target: { ...pushEvent().target, tag: undefined, repository: 'library/other' }, actor: {} });
    const res = await send(`Harbor-Secret ${h.internalSecret}`, { events: [pushEvent(), pull] });
    expect(res.status).toBe(200);
    await waitFor('both event lines', () => {
      const joined = lines.join('\n');
      return joined.includes(`push library/hello:1 sha256:${'a'.repeat(64)} by alice`) && joined.includes(`pull library/other sha256:${'a'.repeat(64)} by anonymous`);
    });
  });

  it.each([
    ['no credentials', null],
    ['a wrong secret', 'Harbor-Secret not-the-secret'],
    ['Basic admin credentials', `Basic ${Buffer.from('admin:Harbor12345').toString('base64')}`],
  ])('refuses %s with 401 and logs nothing', async (_why, auth) => {
    const before = lines.length;
    const res = await send(auth, { events: [pushEvent({ actor: { name: 'intruder' } })] });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.slice(before).join('\n')).not.toContain('intruder');
  });

  it.each([
    ['an unknown action', { events: [pushEvent({ action: 'mount' })] }],
    ['a missing target', { events: [{ id: 'x', timestamp: 't', action: 'push' }] }],
    ['events that are not a list', { events: 'push' }],
    ['a size of the wrong type', { events: [pushEvent({ target: { ...pushEvent().target, size: 'big' } })] }],
  ])('answers 400 for %s', async (_why, body) => {
    const res = await send(`Harbor-Secret ${h.internalSecret}`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('BAD_REQUEST');
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await h.http.post('/service/notifications').set('Content-Type', eventsType).set('Authorization', `Harbor-Secret ${h.internalSecret}`).send('{"events": [');
    expect(res.status).toBe(400);
  });

  it('keeps a forged newline in an actor name from splitting the log line', async () => {
    const before = lines.length;
    await send(`Harbor-Secret ${h.internalSecret}`, { events: [pushEvent({ actor: { name: 'eve\nFAKE LINE' } })] }).expect(200);
    await waitFor('the event line', () => lines.slice(before).some((l) => l.includes('by eve FAKE LINE')));
  });
});
