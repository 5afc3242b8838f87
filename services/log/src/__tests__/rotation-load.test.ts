import { connect, Socket } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@harbor/testkit';
import { Harness, startCollector } from './collector-harness';

const rotateSizeBytes = 64 * 1024;
const rotateCount = 3;
const senders = 4;

/** Rotation while several TCP senders write as fast as they can. */
describe('collector rotating under load', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector({ rotateSizeBytes, rotateCount });
  });
  afterAll(() => h.stop());

  /** Each sender writes `sender <s> seq <n>` lines over its own connection, octet-counted. */
  async function send(from: number, count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        const socket: Socket = await new Promise((resolve, reject) => {
          const c = connect(h.collector.tcpPort, '127.0.0.1', () => resolve(c));
          c.on('error', reject);
        });
        const frames: Buffer[] = [];
        for (let n = from; n < from + count; n += 1) {
          const msg = Buffer.from(`<14>1 - loadhost load ${s} - - sender ${s} seq ${String(n).padStart(6, '0')} ${'p'.repeat(40)}`);
          frames.push(Buffer.from(`${msg.length} `), msg);
        }
        await new Promise<void>((resolve) => socket.end(Buffer.concat(frames), () => resolve()));
      }),
    );
  }

  /** Files oldest first: load.log.3, .2, .1, load.log. */
  function files(): string[] {
    return readdirSync(h.logDirectory)
      .filter((n) => n.startsWith('load.log'))
      .sort((a, b) => suffix(b) - suffix(a));
  }
  const suffix = (name: string) => (name === 'load.log' ? 0 : Number(name.slice('load.log.'.length)));

  function sequences(): number[][] {
    const bySender: number[][] = Array.from({ length: senders }, () => []);
    for (const name of files()) {
      for (const line of h.read(name).split('\n')) {
        if (!line) continue;
        const m = /load\[(\d)\]: info sender \d seq (\d+) p+$/.exec(line);
        if (!m) throw new Error(`unexpected line in ${name}: ${line}`);
        bySender[Number(m[1])].push(Number(m[2]));
      }
    }
    return bySender;
  }

  /** Until every sender's last line is in one of the files (it may already have rotated out of load.log). */
  async function waitForLast(seq: number): Promise<void> {
    await waitFor(`every sender's line ${seq}`, () => sequences().every((s) => s.includes(seq)), { timeoutMs: 20_000, intervalMs: 100 });
  }

  it('loses no line across rotations and keeps exactly rotateCount old files', async () => {
    // ~100 bytes a line: 2000 lines span four files of 64 KiB without deleting any.
    await send(0, 500);
    await waitForLast(499);
    expect(files()).toEqual(['load.log.3', 'load.log.2', 'load.log.1', 'load.log']);
    for (const seq of sequences()) expect(seq).toEqual(Array.from({ length: 500 }, (_, i) => i));
    for (const name of files()) expect(statSync(join(h.logDirectory, name)).size).toBeLessThanOrEqual(rotateSizeBytes);
  });

  it('drops only the oldest lines once the count is reached, and never splits a line', async () => {
    // 1 MB more: far beyond what four 64 KiB files hold.
    await send(500, 2500);
    await waitFor('the collector to take in every line', () => h.collector.collector.stats.received === senders * 3000, { timeoutMs: 20_000 });
    // A last short round from every sender, small enough to be kept whole.
    await send(3000, 10);
    await waitForLast(3009);
    expect(files()).toEqual(['load.log.3', 'load.log.2', 'load.log.1', 'load.log']);
    for (const name of files()) {
      const size = statSync(join(h.logDirectory, name)).size;
      expect(size).toBeLessThanOrEqual(rotateSizeBytes);
      // An old file was rotated only when the next line no longer fit: it is full but for less than a line.
      if (name !== 'load.log') expect(size).toBeGreaterThan(rotateSizeBytes - 200);
      expect(h.read(name).endsWith('\n')).toBe(true);
    }
    // Whatever is kept is, per sender, an unbroken run that ends at the last line sent.
    for (const seq of sequences()) {
      expect(seq[seq.length - 1]).toBe(3009);
      expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => seq[0] + i));
    }
  });
});
