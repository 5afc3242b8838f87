/**
 * The loop that writes a client's body into an upload file, against a file
 * stand-in whose writes the test controls: bytes land at their position even
 * across short writes, the limit is exact, the client is paused while a
 * write is slow, and a failing disk ends in `fail` with its code (nothing
 * written after stop(): upload-writer.direct.test.ts, for both modes).
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '@harbor/testkit';
import { asRequest, FakeFile, fakeBody as body } from './__tests__/fake-file';
import { uploadQueueBytes, uploadSyncEveryBytes, writeUploadBody } from './upload-writer';

const MiB = 1024 * 1024;

describe('writeUploadBody', () => {
  it('writes every byte at its position from the offset, across short writes, and ends with `end`', async () => {
    const file = new FakeFile();
    file.content = Buffer.from('head');
    file.maxPerWrite = 1000;
    const data = randomBytes(300_000);
    const b = body();
    const progress: number[] = [];
    const writer = writeUploadBody(asRequest(b), file.handle(), 4, null, (n) => progress.push(n));
    b.write(data.subarray(0, 100_001));
    b.end(data.subarray(100_001));
    expect(await writer.done).toEqual({ kind: 'end', written: data.length });
    expect(file.content.equals(Buffer.concat([Buffer.from('head'), data]))).toBe(true);
    // Under the progress step: no progress line, only the final one.
    expect(progress).toEqual([]);
  });

  it.each([
    ['a body exactly at the limit ends normally', 1000, 1000, { kind: 'end', written: 1000 }],
    ['one byte more is over, with exactly the limit written', 1000, 1001, { kind: 'over', written: 1000 }],
    ['a limit of zero takes nothing', 0, 10, { kind: 'over', written: 0 }],
  ])('%s', async (_what, limit, size, outcome) => {
    const file = new FakeFile();
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, limit, () => undefined);
    const data = randomBytes(size);
    b.write(data.subarray(0, 7));
    b.write(data.subarray(7));
    b.end();
    expect(await writer.done).toEqual(outcome);
    expect(file.content.equals(data.subarray(0, outcome.written))).toBe(true);
  });

  it('pauses the client while a write is slow and more than the queue waits, and resumes after', async () => {
    const file = new FakeFile();
    let release!: () => void;
    file.gate = new Promise((resolve) => (release = resolve));
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 1);
    let accepted = 0;
    // Keep offering until the stream refuses: a paused reader stops taking bytes.
    while (b.write(chunk)) accepted += chunk.length;
    await waitFor('the client to be paused', () => b.isPaused(), { timeoutMs: 5000, intervalMs: 5 });
    expect(accepted).toBeLessThan(uploadQueueBytes + 2 * MiB);
    file.gate = null;
    release();
    await waitFor('the client to be resumed', () => !b.isPaused(), { timeoutMs: 5000, intervalMs: 5 });
    b.end();
    const outcome = await writer.done;
    expect(outcome.kind).toBe('end');
    expect(outcome.written).toBe(file.content.length);
  });

  it('reports progress at most every 4 MiB and kicks a datasync every 8 MiB while the body lasts', async () => {
    const file = new FakeFile();
    file.sizeOnly = true;
    const b = body();
    const progress: number[] = [];
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, (n) => progress.push(n));
    const chunk = Buffer.alloc(MiB, 2);
    for (let i = 0; i < 70; i += 1) {
      if (!b.write(chunk)) await new Promise((resolve) => b.once('drain', resolve));
    }
    b.end();
    expect(await writer.done).toEqual({ kind: 'end', written: 70 * MiB });
    expect(file.size).toBe(70 * MiB);
    let last = 0;
    for (const n of progress) {
      expect(n - last).toBeGreaterThanOrEqual(4 * MiB);
      last = n;
    }
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(file.syncs).toBeGreaterThanOrEqual(1);
    expect(file.syncs).toBeLessThanOrEqual(Math.floor((70 * MiB) / uploadSyncEveryBytes));
  });

  it('ends in `fail` with the error code when the disk refuses, counting only what was written', async () => {
    const file = new FakeFile();
    file.failAfter = 2 * MiB;
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined);
    b.write(Buffer.alloc(MiB, 3));
    await waitFor('the first write', () => file.content.length === MiB, { timeoutMs: 5000, intervalMs: 5 });
    b.write(Buffer.alloc(2 * MiB, 3));
    expect(await writer.done).toEqual({ kind: 'fail', written: MiB, code: 'ENOSPC' });
    // The client is no longer read.
    expect(b.isPaused()).toBe(true);
  });

  it('ends in `fail` when a datasync failed, even if every write succeeded', async () => {
    const file = new FakeFile();
    file.syncError = 'EIO';
    file.sizeOnly = true;
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined);
    b.write(Buffer.alloc(uploadSyncEveryBytes + 1, 4));
    await waitFor('the sync', () => file.syncs > 0, { timeoutMs: 5000, intervalMs: 5 });
    b.end(Buffer.alloc(10, 4));
    expect(await writer.done).toEqual({ kind: 'fail', written: uploadSyncEveryBytes + 11, code: 'SYNC_EIO' });
  });

  it('reports progress on a slow body too, so the registry connection never sits idle for long', async () => {
    const file = new FakeFile();
    const b = body();
    const progress: number[] = [];
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, (n) => progress.push(n), { heartbeatMs: 50 });
    b.write(Buffer.alloc(1000, 1));
    await waitFor('two heartbeats', () => progress.length >= 2, { timeoutMs: 5000, intervalMs: 10 });
    expect(progress.every((n) => n <= 1000)).toBe(true);
    b.end();
    expect(await writer.done).toEqual({ kind: 'end', written: 1000 });
    const after = progress.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(progress.length).toBe(after);
  });

  it('starts by writing back the previous chunk\'s tail when it continues an upload', async () => {
    const file = new FakeFile();
    file.content = Buffer.alloc(1000, 9);
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 1000, null, () => undefined);
    b.write(Buffer.alloc(64 * 1024, 1));
    await waitFor('the sync', () => file.syncs > 0, { timeoutMs: 5000, intervalMs: 5 });
    b.end();
    expect(await writer.done).toEqual({ kind: 'end', written: 64 * 1024 });
    expect(file.syncs).toBe(1);
  });

  it('starts no datasync once the body has ended: a chunk\'s last stretch is left to the final fsync', async () => {
    const file = new FakeFile();
    file.sizeOnly = true;
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined);
    // As an IncomingMessage is once its parser has the whole body, before its last chunks are read.
    b.complete = true;
    b.end(Buffer.alloc(2 * uploadSyncEveryBytes, 4));
    expect(await writer.done).toEqual({ kind: 'end', written: 2 * uploadSyncEveryBytes });
    expect(file.syncs).toBe(0);
  });

  it('reports `abort` with what the file holds when the body breaks off', async () => {
    const file = new FakeFile();
    const b = body();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined);
    b.write(Buffer.alloc(1000, 5));
    await waitFor('the write', () => file.content.length === 1000, { timeoutMs: 5000, intervalMs: 5 });
    b.destroy();
    expect(await writer.done).toEqual({ kind: 'abort', written: 1000 });
  });
});
