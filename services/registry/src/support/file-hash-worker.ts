import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';

/** What the registry's thread asks of the hashing thread. Paths are absolute. */
export type FileHashRequest =
  /** Hash the upload up to `size`: those bytes are known to be in its file. */
  | { type: 'advance'; uuid: string; path: string; algorithm: string; size: number }
  /** Answer the digest of the upload's first `size` bytes. */
  | { type: 'digest'; id: number; uuid: string; path: string; algorithm: string; size: number }
  | { type: 'forget'; uuid: string };

export type FileHashAnswer = { id: number; digest: string } | { id: number; error: string };

export interface FileHashWorkerData {
  /** Uploads whose running hash is kept; the least recently used goes first. */
  maxStates: number;
  /** Bytes per read, into one of two buffers reused for every read (a multiple of 64 KiB). */
  bufferBytes: number;
  /** Read past the page cache (`O_DIRECT`) where the filesystem allows it. */
  directReads: boolean;
  /** An upload's file is closed after this long without a message for it (its hash is kept). */
  idleCloseMs: number;
}

/**
 * The hashing thread's whole program. It runs from its own source text
 * (`new Worker(String(fileHashWorker), { eval: true })`), so it must be
 * self-contained: node builtins are required inside the body, nothing from
 * this module's scope is used, and no syntax the compilers turn into helper
 * calls (async, spread) appears in it. The same text then works from jest's
 * swc transform and from the built dist.
 *
 * Messages are taken one at a time, in order: one is hashed to its end
 * before the next starts, which keeps each upload's reads in order with no
 * locking. Within one, the next block is read (on libuv's threads) while
 * this one is hashed: direct reads have no read-ahead, and waiting for each
 * one would add the disk's time to the hashing's.
 */
export function fileHashWorker(): void {
  const { createHash } = require('node:crypto') as typeof Crypto;
  const { closeSync, constants, openSync, read, statSync } = require('node:fs') as typeof Fs;
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const config = workerData as FileHashWorkerData;
  if (!parentPort) return;
  const port = parentPort;

  interface State {
    algorithm: string;
    hash: Crypto.Hash;
    /** Bytes of the file hashed so far. */
    offset: number;
    path: string;
    /** Open while the upload is active; reopened by path after an idle close. */
    fd: number | null;
    /** Whether `fd` reads past the page cache. */
    direct: boolean;
    /** A read is in flight: the idle sweep must not close `fd` under it. */
    busy: boolean;
    lastUsed: number;
  }

  /** Insertion-ordered: re-inserted on each use, so the first key is the least recently used. */
  const states = new Map<string, State>();
  /**
   * Direct reads need memory, file positions and lengths aligned to the
   * device's block (4 KiB covers every device). A WebAssembly memory is
   * mapped pages, so it is aligned where Node's buffers are not.
   */
  const block = 4096;
  const wasm = (globalThis as { WebAssembly?: { Memory: new (size: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } })
    .WebAssembly;
  const pages = config.bufferBytes / 65536;
  /** Cleared once the filesystem refuses direct reads: later files are read through the page cache. */
  let directWorks = config.directReads;
  // Two: one being hashed while the other is read into.
  let memory: Buffer;
  try {
    memory = Buffer.from(new wasm!.Memory({ initial: 2 * pages, maximum: 2 * pages }).buffer);
  } catch {
    // No WebAssembly (node --jitless) or no address space for it: unaligned memory, so no direct reads.
    memory = Buffer.allocUnsafeSlow(2 * config.bufferBytes);
    directWorks = false;
  }
  const buffers = [memory.subarray(0, config.bufferBytes), memory.subarray(config.bufferBytes)];

  function closeFile(state: State): void {
    if (state.fd === null) return;
    const fd = state.fd;
    state.fd = null;
    try {
      closeSync(fd);
    } catch {
      // Nothing to do: the descriptor is gone either way.
    }
  }

  function drop(uuid: string): void {
    const state = states.get(uuid);
    if (!state) return;
    states.delete(uuid);
    closeFile(state);
  }

  /** The upload's state, hashed from byte 0 again when it cannot lead to `size` with `algorithm`. */
  function stateFor(uuid: string, path: string, algorithm: string, size: number): State {
    let state = states.get(uuid);
    if (state && (state.algorithm !== algorithm || state.offset > size || state.path !== path)) {
      drop(uuid);
      state = undefined;
    }
    if (!state) {
      state = { algorithm, hash: createHash(algorithm), offset: 0, path, fd: null, direct: false, busy: false, lastUsed: 0 };
    }
    states.delete(uuid);
    states.set(uuid, state);
    for (const oldest of states.keys()) {
      if (states.size <= config.maxStates) break;
      drop(oldest);
    }
    state.lastUsed = Date.now();
    return state;
  }

  /**
   * Opens the upload's file, past the page cache when possible: the proxy
   * writes large uploads directly to the disk, and reading them back through
   * the cache would fill it with pages nobody reads again.
   */
  function openFile(state: State): number {
    if (directWorks) {
      try {
        state.direct = true;
        return openSync(state.path, constants.O_RDONLY | constants.O_DIRECT);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
        directWorks = false;
      }
    }
    state.direct = false;
    return openSync(state.path, 'r');
  }

  interface Block {
    buffer: Buffer;
    /** Where the bytes asked for start in `buffer`. */
    skip: number;
    /** Bytes from `skip` on; zero: the file ends there. */
    count: number;
  }
  type Done<T> = (err: Error | null, value: T) => void;

  /** Reads the bytes from `at` on (at most up to `size`) into `buffer`. */
  function readBlock(state: State, buffer: Buffer, at: number, size: number, done: Done<Block | null>): void {
    const fd = state.fd!;
    if (!state.direct) {
      read(fd, buffer, 0, Math.min(buffer.length, size - at), at, (err, count) => done(err, err ? null : { buffer, skip: 0, count }));
      return;
    }
    // From the block holding `at`, whole blocks; the device answers short at the end of the file.
    const start = at - (at % block);
    const skip = at - start;
    const wanted = Math.min(buffer.length, Math.ceil((size - start) / block) * block);
    read(fd, buffer, 0, wanted, start, (err, count) => {
      if (err && (err as NodeJS.ErrnoException).code === 'EINVAL') {
        // Opened, yet refused: this filesystem has no direct reads after all.
        directWorks = false;
        closeFile(state);
        try {
          state.fd = openFile(state);
        } catch (reopenErr) {
          done(reopenErr as Error, null);
          return;
        }
        readBlock(state, buffer, at, size, done);
        return;
      }
      done(err, err ? null : { buffer, skip, count: Math.max(0, Math.min(count, size - start) - skip) });
    });
  }

  /**
   * Hashes the file up to `size`; false when the file ends before, an error
   * when it cannot be opened or read. The read of the next block is started
   * before this one is hashed, into the other buffer.
   */
  function hashTo(state: State, size: number, done: Done<boolean>): void {
    if (state.offset >= size) {
      done(null, true);
      return;
    }
    try {
      if (state.fd === null) state.fd = openFile(state);
    } catch (err) {
      done(err as Error, false);
      return;
    }
    state.busy = true;
    const finish = (err: Error | null, complete: boolean): void => {
      state.busy = false;
      done(err, complete);
    };
    let which = 0;
    const onBlock = (err: Error | null, got: Block | null): void => {
      if (err || !got) {
        finish(err, false);
        return;
      }
      if (got.count === 0) {
        finish(null, false);
        return;
      }
      const after = state.offset + got.count;
      let next: { err: Error | null; got: Block | null } | null = null;
      let waiting = false;
      if (after < size) {
        which = 1 - which;
        readBlock(state, buffers[which]!, after, size, (nextErr, nextGot) => {
          if (waiting) onBlock(nextErr, nextGot);
          else next = { err: nextErr, got: nextGot };
        });
      }
      // A full read hands the buffer itself over; otherwise a view of the bytes asked for.
      state.hash.update(got.skip === 0 && got.count === got.buffer.length ? got.buffer : got.buffer.subarray(got.skip, got.skip + got.count));
      state.offset = after;
      if (after >= size) {
        finish(null, true);
        return;
      }
      const arrived = next as { err: Error | null; got: Block | null } | null;
      if (arrived) onBlock(arrived.err, arrived.got);
      else waiting = true;
    };
    readBlock(state, buffers[which]!, state.offset, size, onBlock);
  }

  function advance(uuid: string, path: string, algorithm: string, size: number, done: () => void): void {
    let state: State;
    try {
      state = stateFor(uuid, path, algorithm, size);
    } catch {
      drop(uuid);
      done();
      return;
    }
    hashTo(state, size, (err) => {
      // A file that vanished (cancelled, published) or cannot be read: a digest asked later tells the caller.
      if (err) drop(uuid);
      done();
    });
  }

  function digest(id: number, uuid: string, path: string, algorithm: string, size: number, done: (answer: FileHashAnswer) => void): void {
    const failed = (err: unknown): void => {
      drop(uuid);
      done({ id, error: err instanceof Error ? err.message : String(err) });
    };
    let state: State;
    let stored: number;
    try {
      state = stateFor(uuid, path, algorithm, size);
      // The file as it is now, not as the state remembers it: missing or cut short is an error, never the digest of less.
      stored = statSync(path).size;
    } catch (err) {
      failed(err);
      return;
    }
    if (stored < size) {
      done({ id, error: `the upload file holds ${stored} bytes, fewer than ${size}` });
      return;
    }
    hashTo(state, size, (err, complete) => {
      if (err) failed(err);
      else if (!complete) done({ id, error: `the upload file holds ${stored} bytes, fewer than ${size}` });
      // A copy, so the state stays usable: a PUT that fails after this may be retried at the same size.
      else done({ id, digest: `${algorithm}:${state.hash.copy().digest('hex')}` });
    });
  }

  // Uploads left behind (published or cancelled by another process, abandoned) must not pin their files.
  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - config.idleCloseMs;
      for (const state of states.values()) if (state.lastUsed < cutoff && !state.busy) closeFile(state);
    },
    Math.max(1000, config.idleCloseMs / 2),
  );
  sweep.unref();

  /** Messages not yet taken: each waits for the one before to be done. */
  const inbox: FileHashRequest[] = [];
  let working = false;
  function takeNext(): void {
    if (working) return;
    const request = inbox.shift();
    if (!request) return;
    working = true;
    const next = (): void => {
      working = false;
      takeNext();
    };
    if (request.type === 'advance') advance(request.uuid, request.path, request.algorithm, request.size, next);
    else if (request.type === 'digest') {
      digest(request.id, request.uuid, request.path, request.algorithm, request.size, (answer) => {
        port.postMessage(answer);
        next();
      });
    } else {
      drop(request.uuid);
      next();
    }
  }

  port.on('message', (request: FileHashRequest) => {
    inbox.push(request);
    takeNext();
  });
}
