import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@harbor/logging';
import { waitFor } from '@harbor/testkit';
import { defaultMaxBatch, EventNotifier } from './event-notifier';
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

  const notifier = (options: { batchDelayMs?: number; pullBatchDelayMs?: number; maxBatch?: number }) =>
    new EventNotifier({ url, internalSecret: 's', externalUrl: 'http://x', sourceAddr: () => 'r:1', logger: silentLogger(), retryDelaysMs: [], ...options });
  const pull = (n: EventNotifier, i: number) =>
    n.manifestEvent('pull', { repository: 'p/r', digest: `sha256:${i}`, mediaType: 'm', size: 1, tag: `t${i}` }, request, 'alice');
  const push = (n: EventNotifier, i: number) =>
    n.manifestEvent('push', { repository: 'p/r', digest: `sha256:${i}`, mediaType: 'm', size: 1, tag: `t${i}` }, request, 'alice');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('sends events that occur together in one envelope, in order', async () => {
    const n = notifier({ batchDelayMs: 50 });
    for (let i = 0; i < 5; i++) pull(n, i);
    await waitFor('one POST', () => posts.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.map((e) => e.target.tag)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    await n.stop();
  });

  it('holds pulls for the pull window, and a push takes them along at once', async () => {
    const n = notifier({ batchDelayMs: 20, pullBatchDelayMs: 60_000 });
    for (let i = 0; i < 3; i++) pull(n, i);
    await sleep(300);
    expect(posts).toEqual([]);
    push(n, 3);
    await waitFor('one POST', () => posts.length >= 1);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.map((e) => [e.action, e.target.tag])).toEqual([['pull', 't0'], ['pull', 't1'], ['pull', 't2'], ['push', 't3']]);
    await n.stop();
  });

  it('sends a flood of pulls as one POST once the pull window ends', async () => {
    const n = notifier({ batchDelayMs: 20, pullBatchDelayMs: 400 });
    pull(n, 0);
    // Timers fire in deadline order: this one (150 ms) always runs before the flush (400 ms).
    await sleep(150);
    for (let i = 1; i < 10; i++) pull(n, i);
    expect(posts).toEqual([]);
    await waitFor('one POST', () => posts.length >= 1);
    await sleep(100);
    expect(posts.map((p) => p.length)).toEqual([10]);
    await n.stop();
  });

  describe('with the default windows', () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    beforeEach(() => fetchSpy.mockClear());
    afterAll(() => fetchSpy.mockRestore());

    it('waits about a quarter of a second with pulls (no POST after 100 ms), but sends a push without waiting out the pull window', async () => {
      const n = notifier({});
      pull(n, 0);
      // The flush timers are set before these sleeps, so timer order alone decides what has run.
      await sleep(100);
      expect(fetchSpy).not.toHaveBeenCalled();
      push(n, 1);
      await sleep(100);
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      await waitFor('the POST', () => posts.length >= 1);
      expect(posts[0]!.map((e) => e.action)).toEqual(['pull', 'push']);
      await n.stop();
    });
  });

  it('never puts more than maxBatch events in one POST', async () => {
    const n = notifier({ batchDelayMs: 50, maxBatch: 2 });
    for (let i = 0; i < 5; i++) pull(n, i);
    await waitFor('five events', () => posts.flat().length >= 5);
    expect(posts.map((p) => p.length).sort()).toEqual([1, 2, 2]);
    await n.stop();
  });

  it('by default sends a whole flood of pulls of one window in one POST, and only then starts another', async () => {
    const n = notifier({ pullBatchDelayMs: 60_000 });
    for (let i = 0; i < defaultMaxBatch + 1; i++) pull(n, i);
    await waitFor('one full POST', () => posts.length >= 1);
    expect(posts[0]).toHaveLength(defaultMaxBatch);
    expect(posts[0]!.map((e) => e.target.tag).slice(0, 2)).toEqual(['t0', 't1']);
    await n.stop();
    expect(posts.map((p) => p.length)).toEqual([defaultMaxBatch, 1]);
  });

  it.each(['http://harbor.example:8080', 'http://harbor.example:8080/'])('points target.url at the manifest under the external URL %s', async (externalUrl) => {
    const made = new EventNotifier({ url, internalSecret: 's', externalUrl, sourceAddr: () => 'reg:5000', logger: silentLogger(), retryDelaysMs: [], batchDelayMs: 10 });
    push(made, 1);
    await waitFor('one POST', () => posts.length >= 1);
    expect(posts[0]![0]!.target.url).toBe('http://harbor.example:8080/v2/p/r/manifests/sha256:1');
    expect(posts[0]![0]!.source.addr).toBe('reg:5000');
    await made.stop();
  });

  it('sends what is still queued when stopped', async () => {
    const n = notifier({ batchDelayMs: 60_000 });
    pull(n, 7);
    await n.stop();
    expect(posts).toEqual([[expect.objectContaining({ action: 'pull', target: expect.objectContaining({ tag: 't7' }) })]]);
  });
});
