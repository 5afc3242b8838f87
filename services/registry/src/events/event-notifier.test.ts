import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@harbor/logging';
import { waitFor } from '@harbor/testkit';
import { EventNotifier } from './event-notifier';
import type { RegistryEvent } from './registry-event';

const request = { id: 'r', addr: '127.0.0.1', host: 'h', method: 'GET', useragent: 'test' };

describe('EventNotifier batching', () => {
  let server: http.Server;
  let url: string;
  let posts: RegistryEvent[][];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push((JSON.parse(Buffer.concat(chunks).toString()) as { events: RegistryEvent[] }).events);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/service/notifications`;
  });
  beforeEach(() => {
    posts = [];
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const notifier = (options: { batchDelayMs?: number; maxBatch?: number }) =>
    new EventNotifier({ url, internalSecret: 's', externalUrl: 'http://x', sourceAddr: () => 'r:1', logger: silentLogger(), retryDelaysMs: [], ...options });
  const pull = (n: EventNotifier, i: number) =>
    n.manifestEvent('pull', { repository: 'p/r', digest: `sha256:${i}`, mediaType: 'm', size: 1, tag: `t${i}` }, request, 'alice');

  it('sends events that occur together in one envelope, in order', async () => {
    const n = notifier({ batchDelayMs: 50 });
    for (let i = 0; i < 5; i++) pull(n, i);
    await waitFor('one POST', () => posts.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.map((e) => e.target.tag)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    await n.stop();
  });

  it('never puts more than maxBatch events in one POST', async () => {
    const n = notifier({ batchDelayMs: 50, maxBatch: 2 });
    for (let i = 0; i < 5; i++) pull(n, i);
    await waitFor('five events', () => posts.flat().length >= 5);
    expect(posts.map((p) => p.length).sort()).toEqual([1, 2, 2]);
    await n.stop();
  });

  it('sends what is still queued when stopped', async () => {
    const n = notifier({ batchDelayMs: 60_000 });
    pull(n, 7);
    await n.stop();
    expect(posts).toEqual([[expect.objectContaining({ action: 'pull', target: expect.objectContaining({ tag: 't7' }) })]]);
  });
});
