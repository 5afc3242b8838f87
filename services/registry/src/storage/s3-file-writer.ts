import { PassThrough, Writable } from 'node:stream';
import type { FileWriter } from './storage-driver';

export interface S3WriterSink {
  /** Streams `body` into one object (multipart in parts of chunksize when it is large). */
  upload(body: PassThrough): Promise<void>;
  /** Called when the writer ends without a byte: a new file must still exist, empty. */
  createEmpty(): Promise<void>;
  /** Removes the whole logical file (every segment). */
  remove(): Promise<void>;
}

/**
 * One writer = at most one new S3 object (a segment of the logical file). The
 * upload starts with the first byte, so an append of nothing adds nothing.
 * 'finish' is emitted only once the object is stored: on S3 a completed
 * upload is durable, so commit() and close() are the same.
 */
export class S3FileWriter extends Writable implements FileWriter {
  private written: number;
  private body: PassThrough | null = null;
  private uploaded: Promise<void> | null = null;
  private uploadError: Error | null = null;
  private waitingForDrain: ((error?: Error | null) => void) | null = null;
  private settled: Promise<void> | null = null;
  private settling: Promise<void> | null = null;

  constructor(
    private readonly sink: S3WriterSink,
    initialSize: number,
    private readonly isNewFile: boolean,
  ) {
    super({ highWaterMark: 1024 * 1024, autoDestroy: false });
    this.written = initialSize;
  }

  get size(): number {
    return this.written;
  }

  /** Resolves once the object is stored, when the writer is ending (null while it is still being written). */
  get ending(): Promise<void> | null {
    return this.settling;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.uploadError) return callback(this.uploadError);
    const body = this.body ?? this.startUpload();
    this.written += chunk.length;
    if (body.write(chunk)) return callback();
    // Back-pressure: wait until the uploader has taken the buffered bytes.
    this.waitingForDrain = callback;
    body.once('drain', () => this.releaseDrain(null));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.settle().then(() => callback(), callback);
  }

  /** A failed pipeline destroys the writer: what was received is still stored, so the upload can resume. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.settle().then(
      () => callback(error),
      () => callback(error),
    );
  }

  async commit(): Promise<void> {
    await this.finished();
  }

  async close(): Promise<void> {
    await this.finished();
  }

  async cancel(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.once('close', () => resolve());
      this.destroy();
    });
    await this.sink.remove();
  }

  private startUpload(): PassThrough {
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.body = body;
    this.uploaded = this.sink.upload(body).catch((err: unknown) => {
      this.uploadError = err instanceof Error ? err : new Error(String(err));
      this.releaseDrain(this.uploadError);
      throw this.uploadError;
    });
    // Rejections are read in settle(); this keeps an early one from being reported as unhandled.
    this.uploaded.catch(() => undefined);
    return body;
  }

  private releaseDrain(error: Error | null): void {
    const callback = this.waitingForDrain;
    this.waitingForDrain = null;
    callback?.(error);
  }

  /** Ends the object: finishes its upload, or creates an empty file when nothing was written to a new one. */
  private settle(): Promise<void> {
    if (!this.settled) {
      this.settled = this.settleOnce();
      this.settling = this.settled.catch(() => undefined);
    }
    return this.settled;
  }

  private settleOnce(): Promise<void> {
    if (this.body && this.uploaded) {
      if (!this.body.writableEnded) this.body.end();
      return this.uploaded;
    }
    if (this.isNewFile) {
      this.uploaded = this.sink.createEmpty();
      this.body = new PassThrough();
      this.body.end();
      return this.uploaded;
    }
    return Promise.resolve();
  }

  private finished(): Promise<void> {
    if (this.writableFinished) return Promise.resolve();
    if (this.destroyed) return Promise.reject(new Error('writer was destroyed before it finished'));
    return new Promise((resolve, reject) => {
      const onFinish = () => {
        this.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        this.off('finish', onFinish);
        reject(err);
      };
      this.once('finish', onFinish);
      this.once('error', onError);
      if (!this.writableEnded) this.end();
    });
  }
}
