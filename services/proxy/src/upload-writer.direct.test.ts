/**
 * The upload writer with direct writes (see direct-writes.ts), against a fake
 * file with two handles, `cached` and `direct`: the bytes land exactly, every
 * direct write is a whole buffer at a block-aligned position, only the head
 * up to the first block boundary and the last partial buffer go through the
 * cache (direct bytes count towards datasync as well), the limit and an abort leave
 * exactly what `written` says, a filesystem refusing the first direct write
 * falls back to the cache, and any other direct-write error fails the upload
 * as a sync failure.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '@harbor/testkit';
import { directAlignment } from './direct-writes';
import { asRequest, FakeFile, fakeBody, type FakeWrite } from './__tests__/fake-file';
import { uploadQueueBytes, uploadSyncEveryBytes, writeUploadBody, type DirectWrites } from './upload-writer';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Small enough for quick tests; any multiple of the alignment does for a fake (no real O_DIRECT here). */
const slot = 64 * KiB;
/** The writer fills the buffer's two halves in turn: each direct write is one of them. */
const stage = slot / 2;

/** Direct writes into `file` through its `direct` handle, counting unsupported() calls. */
function directInto(file: FakeFile, bytes = slot): DirectWrites & { refusals: number } {
  const direct = {
    handle: file.handle('direct'),
    buffer: Buffer.alloc(bytes),
    refusals: 0,
    unsupported: () => {
      direct.refusals += 1;
    },
  };
  return direct;
}

/** Sends `data` in chunks of `size` (an odd size, so chunk and buffer bounds never meet), waiting for drain. */
async function sendIn(b: ReturnType<typeof fakeBody>, data: Buffer, size: number, end = true): Promise<void> {
  for (let at = 0; at < data.length; at += size) {
    if (!b.write(data.subarray(at, at + size))) await new Promise((resolve) => b.once('drain', resolve));
  }
  if (end) b.end();
}

/** The byte ranges the writes cover, adjacent ones joined. */
function ranges(writes: FakeWrite[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const w of [...writes].sort((a, b) => a.position - b.position)) {
    const last = out.at(-1);
    if (last && last[1] === w.position) last[1] += w.length;
    else out.push([w.position, w.position + w.length]);
  }
  return out;
}

const until = (what: string, check: () => boolean) => waitFor(what, check, { timeoutMs: 5000, intervalMs: 2 });

describe('writeUploadBody with direct writes', () => {
  it('lands every byte from an unaligned offset: head and last partial stage cached, whole aligned stages direct', async () => {
    const file = new FakeFile();
    const offset = 1000;
    file.content = Buffer.alloc(offset, 0x5a);
    const direct = directInto(file);
    const data = randomBytes(5 * slot + 12_345);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), offset, null, () => undefined, { direct });
    await sendIn(b, data, 7777);
    expect(await writer.done).toEqual({ kind: 'end', written: data.length });
    expect(file.content.equals(Buffer.concat([Buffer.alloc(offset, 0x5a), data]))).toBe(true);

    const head = directAlignment - offset;
    const wholeStages = Math.floor((data.length - head) / stage);
    const directEnd = directAlignment + wholeStages * stage;
    const directWrites = file.writesVia('direct');
    expect(directWrites.length).toBe(wholeStages);
    for (const w of directWrites) {
      expect(w.position % directAlignment).toBe(0);
      expect(w.length).toBe(stage);
    }
    expect(ranges(directWrites)).toEqual([[directAlignment, directEnd]]);
    expect(ranges(file.writesVia('cached'))).toEqual([
      [offset, directAlignment],
      [directEnd, offset + data.length],
    ]);
    expect(direct.refusals).toBe(0);
  });

  it('from offset 0 with a whole number of buffers writes nothing through the cache, and still datasyncs as direct bytes pass', async () => {
    const file = new FakeFile();
    file.sizeOnly = true;
    const buffer = MiB;
    const direct = directInto(file, buffer);
    const total = uploadSyncEveryBytes + 4 * MiB;
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined, { direct });
    // The body is not `complete` while it is sent, so passing uploadSyncEveryBytes kicks a datasync: direct
    // bytes may wait in the device's write cache until a flush, which the registry's closing fsync would otherwise do alone.
    await sendIn(b, Buffer.alloc(total, 7), 100_003, false);
    await until('a datasync of the direct bytes', () => file.syncs === 1);
    b.end();
    expect(await writer.done).toEqual({ kind: 'end', written: total });
    expect(file.size).toBe(total);
    expect(file.writesVia('cached')).toEqual([]);
    expect(file.writesVia('direct').length).toBe(total / (buffer / 2));
    expect(file.syncs).toBe(1);
  });

  it.each([
    ['ends inside a buffer', 3 * slot + 500],
    ['ends at a buffer boundary', directAlignment - 1000 + 3 * slot],
    ['ends inside the head', 200],
  ])('stops at the limit exactly when it %s: `over`, the file holds exactly the limit', async (_what, limit) => {
    const file = new FakeFile();
    const offset = 1000;
    file.content = Buffer.alloc(offset, 0x5a);
    const direct = directInto(file);
    const data = randomBytes(limit + 5000);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), offset, limit, () => undefined, { direct });
    await sendIn(b, data, 3001);
    expect(await writer.done).toEqual({ kind: 'over', written: limit });
    expect(file.content.equals(Buffer.concat([Buffer.alloc(offset, 0x5a), data.subarray(0, limit)]))).toBe(true);
    for (const w of file.writesVia('direct')) expect([w.position % directAlignment, w.length]).toEqual([0, stage]);
  });

  it('on an abort drops the staged bytes: `abort` with what the file holds, the head and the whole stages', async () => {
    const file = new FakeFile();
    const offset = 1000;
    file.content = Buffer.alloc(offset, 0x5a);
    const direct = directInto(file);
    const head = directAlignment - offset;
    const data = randomBytes(head + 4 * stage + 5000);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), offset, null, () => undefined, { direct });
    await sendIn(b, data, 4999, false);
    await until('the whole stages to be written', () => file.writesVia('direct').length === 4);
    // The last 5000 bytes are staged, waiting for more.
    await new Promise((resolve) => setImmediate(resolve));
    expect(file.writes).toBe(5);
    b.destroy();
    const outcome = await writer.done;
    expect(outcome).toEqual({ kind: 'abort', written: head + 4 * stage });
    expect(file.content.length).toBe(offset + outcome.written);
    expect(file.content.equals(Buffer.concat([Buffer.alloc(offset, 0x5a), data.subarray(0, outcome.written)]))).toBe(true);
  });

  it('falls back to the cache when the filesystem refuses the first direct write (EINVAL): unsupported() once, bytes exact', async () => {
    const file = new FakeFile();
    const offset = 1000;
    file.content = Buffer.alloc(offset, 0x5a);
    file.refuse = (w) => (w.via === 'direct' ? 'EINVAL' : null);
    const direct = directInto(file);
    const data = randomBytes(4 * slot + 777);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), offset, null, () => undefined, { direct });
    await sendIn(b, data, 9999);
    expect(await writer.done).toEqual({ kind: 'end', written: data.length });
    expect(file.content.equals(Buffer.concat([Buffer.alloc(offset, 0x5a), data]))).toBe(true);
    expect(direct.refusals).toBe(1);
    expect(file.writesVia('direct')).toEqual([]);
    // One direct attempt only; everything after it went through the cached handle.
    expect(file.writes).toBe(file.writesVia('cached').length + 1);
    expect(ranges(file.writesVia('cached'))).toEqual([[offset, offset + data.length]]);
  });

  it('counts the bytes a refused direct write put through the cache towards the datasync', async () => {
    const file = new FakeFile();
    file.sizeOnly = true;
    file.refuse = (w) => (w.via === 'direct' ? 'EINVAL' : null);
    const direct = directInto(file, uploadSyncEveryBytes);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined, { direct });
    await sendIn(b, Buffer.alloc(uploadSyncEveryBytes + 1000, 3), 65_537, false);
    await until('the fallback write', () => file.size >= uploadSyncEveryBytes);
    await until('a datasync of the cached bytes', () => file.syncs === 1);
    b.end();
    expect(await writer.done).toEqual({ kind: 'end', written: uploadSyncEveryBytes + 1000 });
    expect(direct.refusals).toBe(1);
  });

  it.each([
    ['EIO on the first direct write', 1, 'EIO', 'SYNC_EIO'],
    ['EIO on a later direct write', 3, 'EIO', 'SYNC_EIO'],
    ['EINVAL after a direct write worked', 2, 'EINVAL', 'SYNC_EINVAL'],
    // Refused for space: nothing of the write landed, so the upload is kept for a resume (no SYNC_).
    ['ENOSPC on a later direct write', 3, 'ENOSPC', 'ENOSPC'],
    ['EDQUOT on the first direct write', 1, 'EDQUOT', 'EDQUOT'],
  ])('ends in `fail` on %s, counting only what was written', async (_what, failing, code, expected) => {
    const file = new FakeFile();
    let directAttempts = 0;
    file.refuse = (w) => (w.via === 'direct' && ++directAttempts === failing ? code : null);
    const direct = directInto(file);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined, { direct });
    void sendIn(b, randomBytes(5 * slot + 10), 8191).catch(() => undefined);
    expect(await writer.done).toEqual({ kind: 'fail', written: (failing - 1) * stage, code: expected });
    expect(file.content.length).toBe((failing - 1) * stage);
    expect(direct.refusals).toBe(0);
    expect(b.isPaused()).toBe(true);
  });

  // The same for both modes: the cached one was a test of its own in upload-writer.test.ts.
  it.each([
    ['through the cache', false, 1000, 1000],
    ['direct', true, stage + 100, stage],
  ])('starts no write after stop() while a write %s is held, and settles once it is done', async (_mode, viaDirect, first, held) => {
    const file = new FakeFile();
    let release!: () => void;
    file.gate = new Promise((resolve) => (release = resolve));
    const direct = viaDirect ? directInto(file) : null;
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined, { direct });
    b.write(randomBytes(first));
    await until('a write in flight', () => file.writes === 1);
    b.write(randomBytes(first));
    writer.stop();
    let settled = false;
    void writer.done.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    file.gate = null;
    release();
    expect(await writer.done).toEqual({ kind: 'stopped', written: held });
    expect(file.writes).toBe(1);
    expect(file.writesVia('direct').length).toBe(viaDirect ? 1 : 0);
  });

  it('does not leave the client paused when a buffer larger than the queue takes all that waits', async () => {
    const file = new FakeFile();
    file.sizeOnly = true;
    let release!: () => void;
    file.gate = new Promise((resolve) => (release = resolve));
    const direct = directInto(file, 2 * uploadQueueBytes);
    const b = fakeBody();
    // The head write (from offset 1000) is held until the client is paused with more than the queue waiting.
    const writer = writeUploadBody(asRequest(b), file.handle(), 1000, null, () => undefined, { direct });
    const chunk = Buffer.alloc(64 * KiB, 1);
    let sent = 0;
    while (b.write(chunk)) sent += chunk.length;
    sent += chunk.length;
    await until('the client to be paused', () => b.isPaused());
    file.gate = null;
    release();
    await until('the client to be resumed', () => !b.isPaused());
    const rest = Buffer.alloc(3 * uploadQueueBytes, 2);
    await sendIn(b, rest, 64 * KiB);
    expect(await writer.done).toEqual({ kind: 'end', written: sent + rest.length });
    expect(file.size).toBe(1000 + sent + rest.length);
  });

  it('gathers the next stage while a direct write is held, so the client is paused only once a stage and the queue wait', async () => {
    const file = new FakeFile();
    let release!: () => void;
    file.gate = new Promise((resolve) => (release = resolve));
    const buffer = 4 * uploadQueueBytes;
    const direct = directInto(file, buffer);
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), file.handle(), 0, null, () => undefined, { direct });
    const data = randomBytes(3 * buffer);
    const piece = 64 * KiB;
    let sent = 0;
    while (!b.isPaused() && sent < data.length) {
      b.write(data.subarray(sent, sent + piece));
      sent += piece;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // One half in flight, the other gathered while it is, and more than the queue waiting: gathering only between
    // writes, the client would be paused once the first half and the queue were taken.
    expect(file.writes).toBe(1);
    expect(sent).toBeGreaterThan(buffer / 2 + buffer / 2 + uploadQueueBytes);
    file.gate = null;
    release();
    await sendIn(b, data.subarray(sent), piece);
    expect(await writer.done).toEqual({ kind: 'end', written: data.length });
    expect(file.content.equals(data)).toBe(true);
    expect(file.writesVia('direct').length).toBe(6);
  });
});
