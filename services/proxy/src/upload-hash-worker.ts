import type * as Crypto from 'node:crypto';
import type * as WorkerThreads from 'node:worker_threads';

/** What the proxy's thread asks of its hashing thread, one upload request (a job) at a time per upload. */
export type UploadHashRequest =
  /**
   * A hand-over starts writing `key`'s file at `offset`: continue the hash
   * kept for exactly that size, or start one at 0; the answer says whether
   * the job can vouch.
   */
  | { type: 'begin'; job: number; ticket: number; key: string; algorithm: string; offset: number }
  /** Hash `length` bytes of the shared memory from `at`; the answer says they were read (the memory is free again). */
  | { type: 'shared'; job: number; ticket: number; at: number; length: number }
  /** Hash these bytes, a copy handed over with the message. */
  | { type: 'bytes'; job: number; ticket: number; bytes: Uint8Array }
  /**
   * The job wrote `written` bytes: answer the digest of the file's first
   * `offset + written` bytes when every one of them was hashed, and keep the
   * hash for the upload's next request when `keep`.
   */
  | { type: 'end'; job: number; ticket: number; written: number; keep: boolean }
  | { type: 'drop'; job: number };

export interface UploadHashAnswer {
  ticket: number;
  /** For `end`: `<algorithm>:<hex>`, or null when the job cannot vouch. */
  digest?: string | null;
  /** For `begin`: whether the job's hash covers the file up to its offset. */
  vouching?: boolean;
}

export interface UploadHashWorkerData {
  /** The direct-write buffers' memory, shared with the proxy's thread; null when there is none. */
  memory: SharedArrayBuffer | null;
  /** Uploads whose running hash is kept between their requests; the least recently used goes first. */
  maxStates: number;
  /** A kept hash unused this long is dropped: that upload's next request is hashed by the registry. */
  idleMs: number;
}

/**
 * The hashing thread's whole program. It runs from its own source text
 * (`new Worker(String(uploadHashWorker), { eval: true })`), so it is
 * self-contained: node builtins are required inside the body, nothing from
 * this module's scope is used, and no syntax the compilers turn into helper
 * calls (async, spread) appears in it. The same text then works from jest's
 * swc transform and from the built dist.
 *
 * Messages are handled in order, so each upload's bytes are hashed in the
 * order the proxy wrote them; one thread serves every upload.
 */
export function uploadHashWorker(): void {
  const { createHash } = require('node:crypto') as typeof Crypto;
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const config = workerData as UploadHashWorkerData;
  if (!parentPort) return;
  const port = parentPort;

  interface Kept {
    algorithm: string;
    hash: Crypto.Hash;
    /** Bytes of the file the hash covers. */
    size: number;
    lastUsed: number;
  }
  interface Job {
    key: string;
    algorithm: string;
    /** Null when this job cannot vouch: its file has bytes from before that this thread did not see. */
    hash: Crypto.Hash | null;
    offset: number;
    hashed: number;
  }

  /** Insertion-ordered: re-inserted on each use, so the first key is the least recently used. */
  const kept = new Map<string, Kept>();
  const jobs = new Map<number, Job>();

  const sweep = (now: number): void => {
    for (const [key, state] of kept) {
      if (kept.size <= config.maxStates && now - state.lastUsed < config.idleMs) break;
      kept.delete(key);
    }
  };

  const add = (id: number, bytes: Uint8Array): void => {
    const job = jobs.get(id);
    if (!job || !job.hash) return;
    job.hash.update(bytes);
    job.hashed += bytes.length;
  };

  port.on('message', (request: UploadHashRequest) => {
    if (request.type === 'begin') {
      const state = kept.get(request.key);
      kept.delete(request.key);
      let hash: Crypto.Hash | null = null;
      if (state && state.size === request.offset && state.algorithm === request.algorithm) hash = state.hash;
      else if (request.offset === 0) hash = createHash(request.algorithm);
      jobs.set(request.job, { key: request.key, algorithm: request.algorithm, hash, offset: request.offset, hashed: 0 });
      port.postMessage({ ticket: request.ticket, vouching: hash !== null } satisfies UploadHashAnswer);
      return;
    }
    if (request.type === 'shared') {
      if (config.memory) add(request.job, new Uint8Array(config.memory, request.at, request.length));
      port.postMessage({ ticket: request.ticket } satisfies UploadHashAnswer);
      return;
    }
    if (request.type === 'bytes') {
      add(request.job, request.bytes);
      port.postMessage({ ticket: request.ticket } satisfies UploadHashAnswer);
      return;
    }
    const job = jobs.get(request.job);
    jobs.delete(request.job);
    if (request.type === 'drop') return;
    let digest: string | null = null;
    if (job && job.hash && job.hashed === request.written) {
      // A copy is finished, so the running hash can go on with the upload's next request.
      digest = `${job.algorithm}:${job.hash.copy().digest('hex')}`;
      if (request.keep) {
        const now = Date.now();
        kept.set(job.key, { algorithm: job.algorithm, hash: job.hash, size: job.offset + request.written, lastUsed: now });
        sweep(now);
      }
    }
    port.postMessage({ ticket: request.ticket, digest } satisfies UploadHashAnswer);
  });
}
