/**
 * The proxy's hashing thread on its own: bytes in the shared direct-write
 * memory and ordinary buffers hash alike, in order; what is kept between an
 * upload's requests is bounded in number and age; a stopped worker costs the
 * digest, never an answer that does not come.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DirectWriteBuffers } from './direct-writes';
import { UploadHashing } from './upload-hashing';

const sha256 = (...parts: Buffer[]) => `sha256:${createHash('sha256').update(Buffer.concat(parts)).digest('hex')}`;
const key = (n: number) => `uploads/00000000-0000-4000-8000-${String(n).padStart(12, '0')}/data`;

describe('upload hashing thread', () => {
  const open: UploadHashing[] = [];
  const hashing = (...args: ConstructorParameters<typeof UploadHashing>) => {
    const made = new UploadHashing(...args);
    open.push(made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  it('hashes bytes where they lie in the shared memory, and copies of others, in the order given', async () => {
    const pool = new DirectWriteBuffers(2, 1024 * 1024);
    expect(pool.memory).toBeInstanceOf(SharedArrayBuffer);
    const h = hashing(pool.memory);
    const slot = pool.take()!;
    const first = randomBytes(1000);
    const staged = randomBytes(slot.length);
    staged.copy(slot);
    const last = randomBytes(77);
    const job = await h.begin(key(1), 'sha256', 0);
    expect(job.canVouch).toBe(true);
    await job.add([first]);
    await job.add([slot]);
    // Once add settles the slot may be reused: overwriting it changes nothing hashed.
    slot.fill(0);
    await job.add([last.subarray(0, 7), last.subarray(7)]);
    expect(await job.end(first.length + staged.length + last.length, false)).toBe(sha256(first, staged, last));
  });

  it('goes on from the kept hash only at the size it ended, in its algorithm, once', async () => {
    const h = hashing(null);
    const a = randomBytes(5000);
    const b = randomBytes(3000);
    const first = await h.begin(key(2), 'sha256', 0);
    await first.add([a]);
    expect(await first.end(a.length, true)).toBe(sha256(a));

    const elsewhere = await h.begin(key(2), 'sha256', a.length + 1);
    expect(elsewhere.canVouch).toBe(false);
    await elsewhere.add([b]);
    expect(await elsewhere.end(b.length, true)).toBeNull();
    // Taken by the attempt above and dropped: the right offset finds nothing now either.
    const late = await h.begin(key(2), 'sha256', a.length);
    expect(late.canVouch).toBe(false);
    await late.add([b]);
    expect(await late.end(b.length, true)).toBeNull();

    const again = await h.begin(key(3), 'sha256', 0);
    await again.add([a]);
    await again.end(a.length, true);
    const other = await h.begin(key(3), 'sha512', a.length);
    expect(other.canVouch).toBe(false);
    await other.add([b]);
    expect(await other.end(b.length, true)).toBeNull();
  });

  it('vouches for nothing when the count written is not the count hashed, or the job was dropped', async () => {
    const h = hashing(null);
    const bytes = randomBytes(4096);
    const short = await h.begin(key(4), 'sha256', 0);
    await short.add([bytes]);
    expect(await short.end(bytes.length - 1, true)).toBeNull();

    const dropped = await h.begin(key(5), 'sha256', 0);
    await dropped.add([bytes]);
    dropped.drop();
    const after = await h.begin(key(5), 'sha256', bytes.length);
    expect(await after.end(0, false)).toBeNull();
  });

  it('keeps at most maxStates uploads, dropping the least recently used', async () => {
    const h = hashing(null, { maxStates: 2 });
    const bytes = randomBytes(100);
    for (const n of [10, 11, 12]) {
      const job = await h.begin(key(n), 'sha256', 0);
      await job.add([bytes]);
      await job.end(bytes.length, true);
    }
    const oldest = await h.begin(key(10), 'sha256', bytes.length);
    expect(oldest.canVouch).toBe(false);
    expect(await oldest.end(0, false)).toBeNull();
    const newest = await h.begin(key(12), 'sha256', bytes.length);
    expect(newest.canVouch).toBe(true);
    expect(await newest.end(0, false)).toBe(sha256(bytes));
  });

  it('drops a kept hash left unused past its idle time', async () => {
    const h = hashing(null, { idleMs: 50 });
    const bytes = randomBytes(100);
    const job = await h.begin(key(20), 'sha256', 0);
    await job.add([bytes]);
    await job.end(bytes.length, true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The sweep runs when another hash is kept.
    const other = await h.begin(key(21), 'sha256', 0);
    await other.end(0, true);
    const stale = await h.begin(key(20), 'sha256', bytes.length);
    expect(stale.canVouch).toBe(false);
    expect(await stale.end(0, false)).toBeNull();
  });

  it('answers a begin its worker never read as one that cannot vouch', async () => {
    const h = hashing(null);
    await (await h.begin(key(40), 'sha256', 0)).end(0, false);
    const stopping = h.runningWorker!.terminate();
    const job = await h.begin(key(41), 'sha256', 0);
    await stopping;
    expect(job.canVouch).toBe(false);
    expect(await job.end(0, false)).toBeNull();
  });

  it('answers every waiting call when its worker stops, vouches for nothing begun before, and starts a new one', async () => {
    const h = hashing(null);
    const job = await h.begin(key(30), 'sha256', 0);
    await job.add([randomBytes(10)]);
    const worker = h.runningWorker!;
    // Asked while it is being stopped: the message is never read, the answer comes from the exit.
    const stopping = worker.terminate();
    const ending = job.end(10, true);
    await stopping;
    expect(await ending).toBeNull();
    await expect(job.add([randomBytes(10)])).resolves.toBeUndefined();
    expect(await job.end(20, true)).toBeNull();

    const fresh = await h.begin(key(31), 'sha256', 0);
    expect(fresh.canVouch).toBe(true);
    const bytes = randomBytes(300);
    await fresh.add([bytes]);
    expect(await fresh.end(bytes.length, false)).toBe(sha256(bytes));
    expect(h.runningWorker).not.toBe(worker);
  });
});
