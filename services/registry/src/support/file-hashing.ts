import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DigestAlgorithm, Digester } from '@harbor/oci';
import { uploadDataPath } from '../storage/layout';
import { checkPath } from '../storage/storage-driver';
import { FileHashAnswer, FileHashRequest, fileHashWorker, FileHashWorkerData } from './file-hash-worker';
import type { ChunkFeed, UploadHashing } from './upload-hashing';

/** The worker's program as text: jest's transform does not reach a worker, a file path would differ between src and dist. */
const workerSource = `(${fileHashWorker.toString()})();`;

/** Growth of an upload between two hashing steps while its bytes arrive. */
const advanceEveryBytes = 4 * 1024 * 1024;

/**
 * A whole blob announced at most this long is hashed in the stream instead:
 * for a small body the worker's round trip (a message each way, opening
 * and reading the file) costs far more than hashing it where it passes.
 */
const inStreamMaxBytes = 1024 * 1024;

/** How often a digest is sent again after its worker died under it, before it is given up. */
const maxAttempts = 2;

interface PendingDigest {
  request: Extract<FileHashRequest, { type: 'digest' }>;
  resolve(digest: string): void;
  reject(err: Error): void;
  attempts: number;
}

export interface FileHashingOptions {
  /** Uploads whose running hash the worker keeps. */
  maxStates?: number;
  /** An idle upload's file is closed after this long (its hash is kept). */
  idleCloseMs?: number;
  /** Read uploads past the page cache where the filesystem allows it (default true). */
  directReads?: boolean;
}

/**
 * Hashing the upload's file on a worker thread, for the filesystem driver:
 * the registry's thread only moves bytes and tells the worker how far the
 * file has grown; the worker reads the new bytes back (past the page cache
 * where it can, see the worker) and keeps each upload's running hash. Bytes another process
 * wrote are hashed the same way. The worker's state is only a shortcut: a
 * worker that died, a restart or an evicted state means hashing from byte 0,
 * and a digest is only ever of the file's first `size` bytes as read.
 *
 * One worker per process, started on first use and unref'd while no digest
 * waits, so it never keeps the process alive.
 */
export class FileHashing implements UploadHashing {
  private readonly root: string;
  private readonly workerData: FileHashWorkerData;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, PendingDigest>();
  private nextId = 1;
  /**
   * Uploads the worker has heard of, so forgetting one it never saw (every
   * small blob) does not wake it. Bounded like the worker's own states.
   */
  private readonly known = new Set<string>();
  /**
   * Digests known without the worker, each of the upload's first `size`
   * bytes: a small whole blob hashed in the stream, or the proxy's word for
   * a handed-over chunk. Dropped when the upload's next chunk starts or it
   * is forgotten (bounded, oldest first out).
   */
  private readonly finished = new Map<string, { size: number; algorithm: DigestAlgorithm; digest: string }>();

  constructor(rootDirectory: string, options: FileHashingOptions = {}) {
    this.root = resolve(rootDirectory);
    this.workerData = {
      maxStates: options.maxStates ?? 4096,
      // Direct reads have no read-ahead: 8 MiB per read kept the worker up with a 256 MiB push's body
      // (the digest then waited 27–42 ms after the body, against 90–200 ms with 1 MiB reads).
      bufferBytes: 8 * 1024 * 1024,
      directReads: options.directReads ?? true,
      idleCloseMs: options.idleCloseMs ?? 60_000,
    };
  }

  chunk(uuid: string, offset: number, algorithm: DigestAlgorithm, announced?: number | null): ChunkFeed {
    this.finished.delete(uuid);
    if (offset === 0 && announced !== undefined && announced !== null && announced <= inStreamMaxBytes) {
      return this.streamFeed(uuid, new Digester(algorithm));
    }
    const path = this.file(uuid);
    let told = offset;
    /** The proxy said it will vouch for the digest: the file is not read while the chunk lasts. */
    let expecting = false;
    const advance = (size: number) => {
      told = size;
      this.remember(uuid);
      this.post({ type: 'advance', uuid, path, algorithm, size });
    };
    return {
      stored: (size) => {
        if (!expecting && size - told >= advanceEveryBytes) advance(size);
      },
      // Without the proxy's word the chunk is read now, while the client sends its next one.
      done: (size) => {
        if (this.finished.get(uuid)?.size !== size) advance(size);
      },
      vouching: {
        algorithm,
        expect: () => {
          expecting = true;
        },
        vouch: (size, digest) => this.keepFinished(uuid, { size, algorithm, digest }),
      },
    };
  }

  digest(uuid: string, size: number, algorithm: DigestAlgorithm): Promise<string> {
    // Of every stored byte from 0, and the file only grows: still its digest while the size matches.
    const finished = this.finished.get(uuid);
    if (finished && finished.size === size && finished.algorithm === algorithm) return Promise.resolve(finished.digest);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const request = { type: 'digest' as const, id, uuid, path: this.file(uuid), algorithm, size };
      this.pending.set(id, { request, resolve, reject, attempts: 1 });
      this.remember(uuid);
      this.post(request);
    });
  }

  forget(uuid: string): void {
    this.finished.delete(uuid);
    if (!this.known.delete(uuid)) return;
    // No worker: nothing is kept to forget.
    this.worker?.postMessage({ type: 'forget', uuid } satisfies FileHashRequest);
  }

  private remember(uuid: string): void {
    this.known.delete(uuid);
    this.known.add(uuid);
    keepNewest(this.known, this.workerData.maxStates);
  }

  /** Stops the worker; digests still waiting are rejected. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failPending(new Error('upload hashing was shut down'));
    await worker?.terminate();
  }

  /** The running worker, if any (tests end it from outside). */
  get runningWorker(): Worker | null {
    return this.worker;
  }

  /** Feeds a small body's bytes to a digester; kept only when it saw exactly what was stored. */
  private streamFeed(uuid: string, digester: Digester): ChunkFeed {
    return {
      observer: digester,
      stored: () => undefined,
      done: (size) => {
        if (digester.size === size) this.keepFinished(uuid, { size, algorithm: digester.algorithm, digest: digester.digest() });
      },
    };
  }

  private keepFinished(uuid: string, digest: { size: number; algorithm: DigestAlgorithm; digest: string }): void {
    this.finished.delete(uuid);
    this.finished.set(uuid, digest);
    keepNewest(this.finished, this.workerData.maxStates);
  }

  /** The upload's absolute path; a uuid that is not one path component throws (InvalidPathError). */
  private file(uuid: string): string {
    const path = uploadDataPath(uuid);
    checkPath(path);
    return join(this.root, path);
  }

  private post(request: FileHashRequest): void {
    const worker = this.worker ?? this.startWorker();
    // Kept alive exactly while someone waits for an answer.
    if (this.pending.size > 0) worker.ref();
    worker.postMessage(request);
  }

  private startWorker(): Worker {
    const worker = new Worker(workerSource, { eval: true, workerData: this.workerData });
    worker.unref();
    worker.on('message', (answer: FileHashAnswer) => this.answered(worker, answer));
    // 'exit' follows; listening keeps the error from being thrown on this thread.
    let reason = 'it exited';
    worker.on('error', (err) => {
      reason = err.message;
    });
    worker.on('exit', () => this.died(worker, reason));
    this.worker = worker;
    return worker;
  }

  private answered(worker: Worker, answer: FileHashAnswer): void {
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) worker.unref();
    if ('digest' in answer) waiting.resolve(answer.digest);
    else waiting.reject(new Error(`cannot hash upload ${waiting.request.uuid} to ${waiting.request.size} bytes: ${answer.error}`));
  }

  /** A new worker knows nothing, so it hashes each waiting digest from byte 0: slower, never wrong. */
  private died(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const retry = [...this.pending.values()];
    for (const waiting of retry) {
      if (waiting.attempts >= maxAttempts) {
        this.pending.delete(waiting.request.id);
        waiting.reject(new Error(`the upload hashing worker stopped while hashing upload ${waiting.request.uuid}: ${reason}`));
      }
    }
    for (const waiting of retry) {
      if (!this.pending.has(waiting.request.id)) continue;
      waiting.attempts++;
      this.post(waiting.request);
    }
  }

  private failPending(err: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(err);
  }
}

/** Drops the oldest entries (insertion order) of a Set or Map until at most `max` are left. */
function keepNewest(entries: { size: number; keys(): IterableIterator<string>; delete(key: string): boolean }, max: number): void {
  for (const oldest of entries.keys()) {
    if (entries.size <= max) break;
    entries.delete(oldest);
  }
}
