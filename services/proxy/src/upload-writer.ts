import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { syncFailurePrefix, uploadProgressEveryBytes } from '@harbor/http';
import { directAlignment } from './direct-writes';
import type { UploadHash } from './upload-hashing';

/**
 * Bytes waiting for the file before the client is paused: a few socket reads'
 * worth. With at most one batch of this size in flight, an upload holds
 * about twice this much, whatever its size.
 */
export const uploadQueueBytes = 4 * 1024 * 1024;

/**
 * Every this many bytes written, direct or cached, a `datasync` starts, so the registry's
 * closing fsync finds little left. Not once the body has ended: the final
 * report waits for a sync in flight (its error must be reported), and a sync
 * of a chunk's last stretch would make every PATCH wait for the disk, which
 * only the final PUT has to.
 */
export const uploadSyncEveryBytes = 8 * 1024 * 1024;

/**
 * A report at least this often while the body lasts, even without progress:
 * with reports only every 4 MiB, a client slower than that per the
 * registry's idle limit (10 minutes) would have its registry connection cut
 * while it was still sending.
 */
export const uploadHeartbeatMs = 60_000;

/** A write refused for want of space or quota: nothing of it landed. */
const outOfSpace = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Buffers per `writev` (Linux's IOV_MAX). */
const maxBuffersPerWrite = 1024;

/** How the client's body ended up, in terms of the report's final line (or `stopped` by the caller). */
export type UploadOutcome =
  | { kind: 'end' | 'abort' | 'over'; written: number }
  | { kind: 'fail'; written: number; code: string }
  | { kind: 'stopped'; written: number };

export interface UploadWriter {
  /** Settles once no write is in flight any more and no sync is pending; never rejects. */
  done: Promise<UploadOutcome>;
  /** Bytes in the file so far (beyond the offset). */
  written(): number;
  /** Stops at once: no write starts after this call, the client's body is no longer read. */
  stop(): void;
}

/** Writing past the page cache (see direct-writes.ts): a second descriptor of the file, with `O_DIRECT`. */
export interface DirectWrites {
  handle: FileHandle;
  /** Aligned, a multiple of `directAlignment` long: bytes are gathered in its halves, each written in one go. */
  buffer: Buffer;
  /** Called when the filesystem refuses an aligned direct write; the writer goes on through the page cache. */
  unsupported: () => void;
}

type WriteJob = { kind: 'cached'; buffers: Buffer[] } | { kind: 'direct'; buffer: Buffer };

/**
 * Writes a client's request body into an upload file from `offset`, at most
 * `limit` bytes. Socket chunks are collected and written at the file
 * position one write at a time, and the client is paused while more than
 * `uploadQueueBytes` wait (back-pressure); `progress` is called after writes,
 * at most every `uploadProgressEveryBytes`. Through the page cache, the
 * chunks go out as they are with one `writev` (no copy, few syscalls); with
 * `direct`, they are copied into one half of its aligned buffer and written
 * directly once that half is full, while the other half gathers the next
 * bytes (so the copy is off the critical path: a 256 MiB push took 15–20 %
 * less time here); the unaligned start up to the first block boundary and
 * the last partial half go through the page cache. With `hash`, each write's
 * bytes are hashed too, in file order, while they are written; the next
 * write waits for both.
 */
export function writeUploadBody(
  body: IncomingMessage,
  handle: FileHandle,
  offset: number,
  limit: number | null,
  progress: (written: number) => void,
  options: { heartbeatMs?: number; direct?: DirectWrites | null; hash?: UploadHash | null } = {},
): UploadWriter {
  const heartbeatMs = options.heartbeatMs ?? uploadHeartbeatMs;
  const hash = options.hash ?? null;
  let direct = options.direct ?? null;
  const queue: Buffer[] = [];
  let queued = 0;
  /** Bytes taken from the client: written, in flight or queued. */
  let accepted = 0;
  let written = 0;
  let reported = 0;
  let reportedAt = Date.now();
  const tell = (): void => {
    reported = written;
    reportedAt = Date.now();
    progress(written);
  };
  const heartbeat = setInterval(() => {
    if (!stopped && !settled && Date.now() - reportedAt >= heartbeatMs) tell();
  }, heartbeatMs);
  heartbeat.unref();
  // A chunk that continues an upload starts by writing back the last one's tail (which its own end left
  // unsynced), so the final PUT's fsync only finds the last chunk's tail.
  let unsynced = offset > 0 ? uploadSyncEveryBytes : 0;
  let writing = false;
  /** Direct mode: bytes to write through the page cache before the file position is block-aligned. */
  let headLeft = (directAlignment - (offset % directAlignment)) % directAlignment;
  /**
   * Direct mode: the buffer's halves, filled in turn, so the next write's bytes are gathered while the last
   * one is written and hashed (a buffer too small to halve is one stage, filled only between writes).
   */
  const stages = direct ? halves(direct.buffer) : [];
  /** The stage being filled, and the bytes gathered in it. */
  let filling = 0;
  let staged = 0;
  /** Whether a direct write has worked yet: a refusal of the first one means the filesystem has none. */
  let directProven = false;
  let syncing: Promise<void> | null = null;
  let syncError: NodeJS.ErrnoException | null = null;
  /** Set once the body is over for us; the outcome is settled when the last write is done. */
  let ending: 'end' | 'abort' | 'over' | null = null;
  let stopped = false;
  let settled = false;
  let settle!: (outcome: UploadOutcome) => void;
  const done = new Promise<UploadOutcome>((resolve) => (settle = resolve));

  const onData = (chunk: Buffer): void => {
    if (ending || stopped) return;
    let bytes = chunk;
    if (limit !== null && accepted + bytes.length > limit) {
      bytes = bytes.subarray(0, limit - accepted);
      ending = 'over';
      detach();
    }
    if (bytes.length > 0) {
      queue.push(bytes);
      queued += bytes.length;
      accepted += bytes.length;
    }
    if (queued > uploadQueueBytes) body.pause();
    pump();
  };
  const onEnd = (): void => {
    if (ending || stopped) return;
    ending = 'end';
    pump();
  };
  const onClose = (): void => {
    if (body.complete || ending || stopped) return;
    // Gone or cut short: what is still queued never reaches the file, so `written` is what the file holds.
    ending = 'abort';
    queue.length = 0;
    queued = 0;
    staged = 0;
    pump();
  };
  const detach = (): void => {
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('close', onClose);
    body.pause();
  };

  const kickSync = (): void => {
    // `complete`: the whole body is in, even if its last chunks still wait for the file.
    if (syncing || ending || body.complete || unsynced < uploadSyncEveryBytes) return;
    unsynced = 0;
    // Not awaited here: the disk flushes while the next bytes arrive.
    syncing = handle
      .datasync()
      .catch((err: NodeJS.ErrnoException) => {
        syncError ??= err;
      })
      .finally(() => {
        syncing = null;
      });
  };

  const finish = async (outcome: UploadOutcome): Promise<void> => {
    if (settled) return;
    settled = true;
    clearInterval(heartbeat);
    detach();
    while (syncing) await syncing;
    if (syncError && outcome.kind !== 'stopped' && outcome.kind !== 'fail') {
      // Marked as a sync failure: the bytes the file seems to hold may be lost, and Linux tells only once.
      settle({ kind: 'fail', written, code: `${syncFailurePrefix}${syncError.code ?? 'EIO'}` });
      return;
    }
    settle(outcome);
  };

  /** Takes up to `count` bytes off the front of the queue. */
  const dequeue = (count: number): Buffer[] => {
    const taken: Buffer[] = [];
    let left = count;
    while (left > 0 && queue.length > 0 && taken.length < maxBuffersPerWrite) {
      const first = queue[0]!;
      if (first.length <= left) {
        taken.push(queue.shift()!);
        left -= first.length;
      } else {
        taken.push(first.subarray(0, left));
        queue[0] = first.subarray(left);
        left = 0;
      }
    }
    for (const b of taken) queued -= b.length;
    return taken;
  };

  /** Copies queued bytes into a stage of the direct buffer until it is full or the queue is empty. */
  const stage = (buffer: Buffer): void => {
    while (staged < buffer.length && queue.length > 0) {
      for (const piece of dequeue(buffer.length - staged)) staged += piece.copy(buffer, staged);
    }
  };

  /** The next write to make, or null when it has to wait for more of the body (or there is nothing left). */
  const nextWrite = (): WriteJob | null => {
    if (direct && headLeft > 0 && queue.length > 0) {
      const head = dequeue(headLeft);
      headLeft -= head.reduce((n, b) => n + b.length, 0);
      return { kind: 'cached', buffers: head };
    }
    if (direct) stage(stages[filling]!);
    const full = direct !== null && staged === stages[filling]!.length;
    // The last partial stage (its length is rarely a whole number of blocks), or one gathered before the
    // filesystem turned direct writes down: through the cache, before anything still queued.
    if (full || (staged > 0 && (ending || !direct))) {
      const bytes = stages[filling]!.subarray(0, staged);
      filling = (filling + 1) % stages.length;
      staged = 0;
      return full ? { kind: 'direct', buffer: bytes } : { kind: 'cached', buffers: [bytes] };
    }
    if (!direct) return queue.length > 0 ? { kind: 'cached', buffers: dequeue(Infinity) } : null;
    return null;
  };

  /** While a write is in flight: gathers the next one's bytes in the other stage (never in the one being written). */
  const stageAhead = (): void => {
    if (!direct || headLeft > 0 || stages.length < 2) return;
    stage(stages[filling]!);
    resumeIfRoom();
  };

  /** Makes the write: through the cache, or direct (a refusal of the first direct write moves the rest to the cache). */
  const write = async (job: WriteJob): Promise<void> => {
    const at = offset + written;
    if (job.kind === 'cached') {
      await writeAll(handle, job.buffers, at);
      return;
    }
    try {
      await writeAll(direct!.handle, [job.buffer], at);
      directProven = true;
    } catch (caught) {
      const err = caught as NodeJS.ErrnoException;
      // No room: the filesystem refused before any byte of this write landed (a partial one returns a short count
      // first), so the file holds exactly what was counted and the upload can go on once space is freed.
      if (err.code !== undefined && outOfSpace.has(err.code)) throw err;
      // Anything else may have left the range half written on the device: the upload is dropped (a `SYNC_` code).
      if (err.code !== 'EINVAL' || directProven) throw Object.assign(err, { code: `${syncFailurePrefix}${err.code ?? 'EIO'}` });
      // This filesystem takes no direct writes after all: these bytes and the rest go through the page cache.
      direct!.unsupported();
      direct = null;
      await writeAll(handle, [job.buffer], at);
    }
  };

  /** The client was paused with more than the queue waiting; staging or writing may have made room since. */
  const resumeIfRoom = (): void => {
    if (!ending && !stopped && queued <= uploadQueueBytes && body.isPaused()) body.resume();
  };

  const pump = (): void => {
    if (settled) return;
    if (writing) {
      if (!stopped) stageAhead();
      return;
    }
    if (stopped) {
      void finish({ kind: 'stopped', written });
      return;
    }
    const job = nextWrite();
    if (!job) {
      if (ending && queue.length === 0 && staged === 0) void finish({ kind: ending, written });
      // Staging may have taken all that waited without filling the buffer: the client must send more.
      else resumeIfRoom();
      return;
    }
    const buffers = job.kind === 'direct' ? [job.buffer] : job.buffers;
    const size = buffers.reduce((n, b) => n + b.length, 0);
    writing = true;
    // Hashed as it is written; the bytes are reused only once both are done, even after a failed write.
    const hashed = hash ? hash.add(buffers) : null;
    const wrote = write(job);
    const both = hashed ? Promise.allSettled([wrote, hashed]).then(() => wrote) : wrote;
    stageAhead();
    both.then(
      () => {
        writing = false;
        written += size;
        // Direct writes count too: they reach the device, but may sit in its write cache until a flush. Flushed
        // as they come, a 256 MiB push's closing fsync took 5–7 ms here instead of 160–175 ms.
        unsynced += size;
        kickSync();
        if (!stopped && written - reported >= uploadProgressEveryBytes) tell();
        resumeIfRoom();
        pump();
      },
      (err: NodeJS.ErrnoException) => {
        writing = false;
        void finish(stopped ? { kind: 'stopped', written } : { kind: 'fail', written, code: err.code ?? 'EIO' });
      },
    );
  };

  body.on('data', onData);
  body.on('end', onEnd);
  body.on('close', onClose);
  // A body torn down by its socket also emits 'close'; the error itself needs no more.
  body.on('error', () => undefined);
  // The body may have ended or broken off before the hand-over started.
  if (body.readableEnded) onEnd();
  else if (body.destroyed) onClose();
  else body.resume();

  return {
    done,
    written: () => written,
    stop: () => {
      if (stopped) return;
      stopped = true;
      detach();
      pump();
    },
  };
}

/** `writev` until every byte of the batch is at its place: a short write continues where it stopped. */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, at);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    at += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  let index = 0;
  while (index < buffers.length && left >= buffers[index]!.length) {
    left -= buffers[index]!.length;
    index += 1;
  }
  const rest = buffers.slice(index);
  if (left > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(left);
  return rest;
}

/** A direct buffer as two aligned halves, or whole when it cannot be halved so. */
function halves(buffer: Buffer): Buffer[] {
  const half = buffer.length / 2;
  if (half % directAlignment !== 0) return [buffer];
  return [buffer.subarray(0, half), buffer.subarray(half)];
}
