import { Worker } from 'node:worker_threads';
import type { DigestAlgorithm } from '@harbor/oci';
import { uploadHashWorker, type UploadHashAnswer, type UploadHashRequest, type UploadHashWorkerData } from './upload-hash-worker';

/** The worker's program as text: jest's transform does not reach a worker, a file path would differ between src and dist. */
const workerSource = `(${uploadHashWorker.toString()})();`;

/** One hand-over's hashing, fed in the order its bytes go into the file. */
export interface UploadHash {
  /** Whether the hash covers the file up to the offset, so the job can vouch at the end (otherwise drop it). */
  readonly canVouch: boolean;
  /**
   * Hashes these bytes, which the caller must leave untouched until the
   * promise settles (bytes in the shared memory are read where they lie,
   * others are copied at once). Never rejects.
   */
  add(buffers: Buffer[]): Promise<void>;
  /**
   * The job wrote `written` bytes: the digest of the file's first
   * offset + written bytes, or null when this proxy cannot vouch for it
   * (it did not see the bytes before the offset, or its worker stopped).
   * `keep`: the upload may go on, so its running hash is kept for the next request.
   */
  end(written: number, keep: boolean): Promise<string | null>;
  /** The job's bytes will not be vouched for (a failed write): its hash is dropped. */
  drop(): void;
}

export interface UploadHashingOptions {
  /** Uploads whose running hash is kept between requests. */
  maxStates?: number;
  /** A kept hash unused this long is dropped. */
  idleMs?: number;
}

/**
 * Hashing the bytes the proxy writes into the registry's upload files, on a
 * worker thread, so the registry can take the digest from the final report
 * instead of reading the file back (`upload-offload` in @harbor/http). The
 * disk then only writes: reading a pushed layer back while it was written
 * halved what each got here. Bytes staged in the direct-write buffers are
 * hashed where they lie (the buffers are a shared memory); others are copied.
 * Each upload's running hash stays in the worker between its requests, so
 * chunked pushes are vouched for too, as long as every byte went through this
 * proxy's hand-overs.
 *
 * One worker per proxy, started on first use, unref'd while nothing waits;
 * a worker that stops takes its hashes with it, and the registry hashes
 * those uploads itself.
 */
export class UploadHashing {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (answer: UploadHashAnswer) => void>();
  private nextTicket = 1;
  private nextJob = 1;
  private readonly workerData: UploadHashWorkerData;

  constructor(memory: SharedArrayBuffer | null, options: UploadHashingOptions = {}) {
    this.workerData = { memory, maxStates: options.maxStates ?? 1024, idleMs: options.idleMs ?? 60 * 60_000 };
  }

  /**
   * Starts hashing one hand-over that writes `key`'s file from `offset`: on
   * the hash kept for exactly that size and algorithm, or a new one at 0.
   */
  async begin(key: string, algorithm: DigestAlgorithm, offset: number): Promise<UploadHash> {
    const worker = this.worker ?? this.startWorker();
    const job = this.nextJob++;
    const { vouching } = await this.ask(worker, (ticket) => ({ type: 'begin', job, ticket, key, algorithm, offset }));
    const { memory } = this.workerData;
    /** Whether the job's worker is still the one running: a new worker never saw its bytes. */
    const alive = (): boolean => this.worker === worker;
    return {
      canVouch: vouching === true && alive(),
      add: async (buffers) => {
        if (!alive()) return;
        const copied: Buffer[] = [];
        const read: Promise<unknown>[] = [];
        for (const buffer of buffers) {
          if (memory !== null && buffer.buffer === memory) {
            read.push(this.ask(worker, (ticket) => ({ type: 'shared', job, ticket, at: buffer.byteOffset, length: buffer.length })));
          } else copied.push(buffer);
        }
        if (copied.length > 0) {
          // One exact-size copy, handed over rather than cloned: a Buffer's whole backing store would be cloned.
          const bytes = new Uint8Array(copied.reduce((n, b) => n + b.length, 0));
          let at = 0;
          for (const b of copied) {
            bytes.set(b, at);
            at += b.length;
          }
          read.push(this.ask(worker, (ticket) => ({ type: 'bytes', job, ticket, bytes }), [bytes.buffer]));
        }
        await Promise.all(read);
      },
      end: async (written, keep) => {
        if (!alive()) return null;
        const answer = await this.ask(worker, (ticket) => ({ type: 'end', job, ticket, written, keep }));
        return answer.digest ?? null;
      },
      drop: () => {
        if (alive()) worker.postMessage({ type: 'drop', job } satisfies UploadHashRequest);
      },
    };
  }

  /** Stops the worker; whatever waits on it settles (with no digest). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopped(worker);
    await worker.terminate();
  }

  /** The running worker, if any (tests end it from outside). */
  get runningWorker(): Worker | null {
    return this.worker;
  }

  private ask(worker: Worker, request: (ticket: number) => UploadHashRequest, transfer: ArrayBuffer[] = []): Promise<UploadHashAnswer> {
    const ticket = this.nextTicket++;
    return new Promise((resolve) => {
      this.waiting.set(ticket, resolve);
      // Kept alive exactly while someone waits for an answer.
      worker.ref();
      worker.postMessage(request(ticket), transfer);
    });
  }

  private startWorker(): Worker {
    const worker = new Worker(workerSource, { eval: true, workerData: this.workerData });
    worker.unref();
    worker.on('message', (answer: UploadHashAnswer) => {
      const resolve = this.waiting.get(answer.ticket);
      this.waiting.delete(answer.ticket);
      if (this.waiting.size === 0) worker.unref();
      resolve?.(answer);
    });
    // 'exit' follows; listening keeps the error from being thrown on this thread.
    worker.on('error', () => undefined);
    worker.on('exit', () => this.stopped(worker));
    this.worker = worker;
    return worker;
  }

  /** The worker is gone: every answer it owed comes now, without a digest, and its jobs vouch for nothing. */
  private stopped(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const owed = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [ticket, resolve] of owed) resolve({ ticket, digest: null });
  }
}
