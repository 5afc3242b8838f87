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
  /** Bytes read per readSync, into one buffer reused for every read. */
  bufferBytes: number;
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
 * Everything is synchronous: one message is hashed to its end before the
 * next, which keeps each upload's reads in order with no locking.
 */
export function fileHashWorker(): void {
  const { createHash } = require('node:crypto') as typeof Crypto;
  const { closeSync, openSync, readSync, statSync } = require('node:fs') as typeof Fs;
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const config = workerData as FileHashWorkerData;
  const port = parentPort;
  if (!port) return;

  interface State {
    algorithm: string;
    hash: Crypto.Hash;
    /** Bytes of the file hashed so far. */
    offset: number;
    path: string;
    /** Open while the upload is active; reopened by path after an idle close. */
    fd: number | null;
    lastUsed: number;
  }

  /** Insertion-ordered: re-inserted on each use, so the first key is the least recently used. */
  const states = new Map<string, State>();
  const buffer = Buffer.allocUnsafe(config.bufferBytes);

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
      state = { algorithm, hash: createHash(algorithm), offset: 0, path, fd: null, lastUsed: 0 };
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

  /** Hashes the file up to `size`; false when the file ends before. Throws when it cannot be opened or read. */
  function hashTo(state: State, size: number): boolean {
    if (state.offset >= size) return true;
    if (state.fd === null) state.fd = openSync(state.path, 'r');
    while (state.offset < size) {
      const read = readSync(state.fd, buffer, 0, Math.min(buffer.length, size - state.offset), state.offset);
      if (read === 0) return false;
      // A full read hands the buffer itself over; only a short tail needs a view.
      state.hash.update(read === buffer.length ? buffer : buffer.subarray(0, read));
      state.offset += read;
    }
    return true;
  }

  function advance(uuid: string, path: string, algorithm: string, size: number): void {
    try {
      hashTo(stateFor(uuid, path, algorithm, size), size);
    } catch {
      // A file that vanished (cancelled, published) or cannot be read: a digest asked later tells the caller.
      drop(uuid);
    }
  }

  function digest(id: number, uuid: string, path: string, algorithm: string, size: number): FileHashAnswer {
    try {
      const state = stateFor(uuid, path, algorithm, size);
      // The file as it is now, not as the state remembers it: missing or cut short is an error, never the digest of less.
      const stored = statSync(path).size;
      if (stored < size || !hashTo(state, size)) return { id, error: `the upload file holds ${stored} bytes, fewer than ${size}` };
      // A copy, so the state stays usable: a PUT that fails after this may be retried at the same size.
      return { id, digest: `${algorithm}:${state.hash.copy().digest('hex')}` };
    } catch (err) {
      drop(uuid);
      return { id, error: err instanceof Error ? err.message : String(err) };
    }
  }

  // Uploads left behind (published or cancelled by another process, abandoned) must not pin their files.
  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - config.idleCloseMs;
      for (const state of states.values()) if (state.lastUsed < cutoff) closeFile(state);
    },
    Math.max(1000, config.idleCloseMs / 2),
  );
  sweep.unref();

  port.on('message', (request: FileHashRequest) => {
    if (request.type === 'advance') advance(request.uuid, request.path, request.algorithm, request.size);
    else if (request.type === 'digest') {
      port.postMessage(digest(request.id, request.uuid, request.path, request.algorithm, request.size));
    } else if (request.type === 'forget') drop(request.uuid);
  });
}
