import { join } from 'node:path';
import { RotatingFile, RotationPolicy } from './rotating-file';

export interface LogDirectoryOptions {
  directory: string;
  rotation: RotationPolicy;
  /** Open descriptors kept at most; the least recently written files are closed beyond it. */
  maxOpenFiles?: number;
  /** Queued bytes above which `backlogged` is true and TCP senders are paused. */
  highWaterBytes?: number;
  onError?: (err: Error, path: string) => void;
}

/**
 * The log directory: one rotating `<stem>.log` per sending app. Stems must
 * already be sanitised (see `appFileStem`). Tracks the bytes still queued in
 * memory so the listeners can slow down or drop when the disk falls behind.
 */
export class LogDirectory {
  private readonly files = new Map<string, RotatingFile>();
  private queuedBytes = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly maxOpenFiles: number;
  private readonly highWaterBytes: number;

  constructor(private readonly options: LogDirectoryOptions) {
    this.maxOpenFiles = options.maxOpenFiles ?? 256;
    this.highWaterBytes = options.highWaterBytes ?? 16 * 1024 * 1024;
  }

  get backlog(): number {
    return this.queuedBytes;
  }

  get backlogged(): boolean {
    return this.queuedBytes > this.highWaterBytes;
  }

  /** Resolves when the queue is back under the high-water mark. */
  whenDrained(): Promise<void> {
    if (!this.backlogged) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  append(stem: string, line: string): void {
    let file = this.files.get(stem);
    if (file) {
      // Map order doubles as least-recently-written order.
      this.files.delete(stem);
    } else {
      file = new RotatingFile(join(this.options.directory, `${stem}.log`), this.options.rotation, {
        onError: (err, path) => this.options.onError?.(err, path),
        onSettled: (bytes) => this.settled(bytes),
      });
    }
    this.files.set(stem, file);
    this.queuedBytes += Buffer.byteLength(line);
    file.append(line);
    this.limitOpenFiles();
  }

  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.flush()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.close()));
    this.files.clear();
  }

  private settled(bytes: number): void {
    this.queuedBytes -= bytes;
    if (!this.backlogged && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private limitOpenFiles(): void {
    if (this.files.size <= this.maxOpenFiles) return;
    // Oldest first: forget files with nothing queued and no descriptor, ask
    // the others to close their descriptor once their queue is written.
    let excess = this.files.size - this.maxOpenFiles;
    for (const [stem, file] of this.files) {
      if (excess <= 0) break;
      if (file.idle) {
        this.files.delete(stem);
        excess -= 1;
      } else if (file.isOpen) {
        file.release();
      }
    }
  }
}
