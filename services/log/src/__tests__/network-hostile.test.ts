import { createSocket } from 'node:dgram';
import { connect, Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Harness, startCollector } from './collector-harness';

/** What a careless or malicious sender can throw at the collector. */
describe('collector under hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(() => h.stop());

  const udp = (payload: Buffer | string) =>
    new Promise<void>((resolve, reject) => {
      const s = createSocket('udp4');
      s.send(payload, h.collector.udpPort, '127.0.0.1', (err) => {
        s.close();
        if (err) reject(err);
        else resolve();
      });
    });

  const tcp = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect(h.collector.tcpPort, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    });

  const end = (s: Socket) => new Promise<void>((resolve) => s.end(() => resolve()));

  it('keeps path tricks in the app name inside the log directory', async () => {
    for (const app of ['../escape', '..', '/etc/passwd', '.hidden', 'a/../../b']) await udp(`<13>1 - h ${app} - - - trick ${app}`);
    await udp('<13>1 - h canary - - - done');
    await h.waitForLine('canary.log', 'done');
    expect(readdirSync(dirname(h.logDirectory))).toEqual(['logs']);
    const files = readdirSync(h.logDirectory);
    for (const f of files) expect(f).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.log$/);
    expect(files).toEqual(expect.arrayContaining(['_escape.log', 'unknown.log', '_etc_passwd.log', 'hidden.log', 'a_.._.._b.log']));
  });

  it('files garbage under unknown.log and keeps serving', async () => {
    await udp(Buffer.from([0xff, 0x00, 0x3c, 0x3e, 0x0a, 0x41]));
    await udp('no priority at all');
    await udp('<13>1 - h good - - - still alive');
    await h.waitForLine('good.log', 'still alive');
    await h.waitForLine('unknown.log', 'no priority at all');
  });

  it('files a message with a NUL in its app name safely', async () => {
    await udp('<13>1 - h nul\0app - - - nul test');
    expect(await h.waitForLine('nul_app.log', 'nul test')).toContain('nul_app: notice nul test');
  });

  it('serves many concurrent TCP connections, each with partial frames', async () => {
    const sockets = await Promise.all(Array.from({ length: 50 }, () => tcp()));
    sockets.forEach((s) => s.write(`23 <13>1 - h many - - `));
    await new Promise((r) => setTimeout(r, 50));
    sockets.forEach((s, i) => s.write(`- ${String(i).padStart(2, '0')}\n<13>1 - h many - - - nl ${i}`));
    await Promise.all(sockets.map(end));
    await h.waitForLine('many.log', 'nl 49');
    await waitForCount(h, 'many.log', 100);
    const content = h.read('many.log');
    for (let i = 0; i < 50; i += 1) {
      expect(content).toContain(`: notice ${String(i).padStart(2, '0')}\n`);
      expect(content).toContain(`: notice nl ${i}\n`);
    }
  });

  it('cuts an oversized TCP frame and reads the next one on the same connection', async () => {
    const s = await tcp();
    const body = `<13>1 - h big - - - ${'z'.repeat(200 * 1024)}`;
    s.write(`${Buffer.byteLength(body)} ${body}`);
    s.write('<13>1 - h big - - - after the big one\n');
    await end(s);
    await h.waitForLine('big.log', 'after the big one');
    const [first] = h.read('big.log').split('\n');
    expect(first.endsWith(' [truncated]')).toBe(true);
    expect(first.length).toBeLessThan(65 * 1024);
  });

  it('cuts an endless TCP line instead of buffering it', async () => {
    const s = await tcp();
    const chunk = 'w'.repeat(64 * 1024);
    s.write('<13>1 - h endless - - - ');
    for (let i = 0; i < 64; i += 1) s.write(chunk); // 4 MiB without a newline
    s.write('\n<13>1 - h endless - - - next line\n');
    await end(s);
    await h.waitForLine('endless.log', 'next line');
    expect(h.read('endless.log').trim().split('\n')).toHaveLength(2);
  });

  it('answers on its TCP port after all of this (the health check)', async () => {
    await end(await tcp());
  });
});

async function waitForCount(h: Harness, name: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (h.read(name).trim().split('\n').length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('collector stopping', () => {
  it('files what open connections delivered and everything queued before it stops', async () => {
    const h = await startCollector();
    const s: Socket = await new Promise((resolve) => {
      const c = connect(h.collector.tcpPort, '127.0.0.1', () => resolve(c));
    });
    s.on('error', () => undefined);
    const lines = Array.from({ length: 500 }, (_, i) => `<13>1 - h stopping - - - queued ${i}\n`).join('');
    s.write(`${lines}<13>1 - h stopping - - - last line without newline`);
    await new Promise((r) => setTimeout(r, 200));
    await h.collector.stop();
    const content = h.read('stopping.log');
    expect(content.trim().split('\n')).toHaveLength(501);
    expect(content).toContain('notice last line without newline\n');
    expect(h.read('log.log')).toMatch(/ log\[\d+\]: info stopped after 501 messages/);
    await h.stop();
  });
});
