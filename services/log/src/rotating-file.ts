import { open, readdir, rename, rm, mkdir, FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface RotationPolicy {
  /** `<name>` is rotated before a write would take it above this size. */
  maxBytes: number;
  /** How many old files (`<name>.1` … `<name>.N`) to keep; 0 truncates instead. */
  keep: number;
}

export interface RotatingFileEvents {
  /** A write or rotation failed; the lines of that batch are lost, the file carries on. */
  onError(err: Error, path: string): void;
  /** Bytes handed to `append` that have now left memory (written or dropped). */
  onSettled(bytes: number): void;
}

/**
 * An append-only log file rotated by size and count.
 *
 * `append` only queues the line; one write loop per file takes everything
 * queued since its last write and writes it with a single call, so a burst of
 * lines costs a few system calls, and writes, rotations and closes of one file
 * never overlap. A rotation happens between two lines, never inside one: a
 * line always lands whole in exactly one file, and none is lost.
 */
export class RotatingFile {
  private handle: FileHandle | null = null;
  private size = 0;
  private pending: Buffer[] = [];
  private loop: Promise<void> | null = null;
  private releaseRequested = false;

  constructor(
    readonly path: string,
    private readonly policy: RotationPolicy,
    private readonly events: RotatingFileEvents,
  ) {}

  get isOpen(): boolean {
    return this.handle !== null;
  }

  /** Nothing queued, nothing being written, no descriptor held. */
  get idle(): boolean {
    return this.handle === null && this.loop === null && this.pending.length === 0;
  }

  append(line: string): void {
    this.pending.push(Buffer.from(line, 'utf8'));
    this.kick();
  }

  /** Resolves once every line appended before the call is written (or failed). */
  async flush(): Promise<void> {
    while (this.loop || this.pending.length > 0) {
      this.kick();
      await this.loop;
    }
  }

  /** Closes the file descriptor once the queue is empty; the next append reopens it. */
  release(): void {
    this.releaseRequested = true;
    this.kick();
  }

  async close(): Promise<void> {
    await this.flush();
    this.releaseRequested = true;
    await this.closeHandle();
  }

  private kick(): void {
    if (this.loop) return;
    this.loop = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.loop = null;
        if (this.pending.length > 0) this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const lines = this.pending;
      this.pending = [];
      const bytes = lines.reduce((n, b) => n + b.length, 0);
      try {
        await this.writeLines(lines);
      } catch (err) {
        this.events.onError(err as Error, this.path);
        // Start again from a fresh descriptor next time (the file or its directory may be gone).
        await this.closeHandle().catch(() => undefined);
      } finally {
        this.events.onSettled(bytes);
      }
    }
    if (this.releaseRequested) await this.closeHandle().catch(() => undefined);
  }

  private async writeLines(lines: Buffer[]): Promise<void> {
    await this.ensureOpen();
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const line of lines) {
      if (this.size + batchBytes > 0 && this.size + batchBytes + line.length > this.policy.maxBytes) {
        await this.write(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        await this.rotate();
      }
      batch.push(line);
      batchBytes += line.length;
    }
    await this.write(batch, batchBytes);
  }

  private async write(batch: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0 || !this.handle) return;
    const data = batch.length === 1 ? batch[0] : Buffer.concat(batch, bytes);
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset);
      offset += bytesWritten;
    }
    this.size += data.length;
  }

  private async ensureOpen(): Promise<void> {
    this.releaseRequested = false;
    if (this.handle) return;
    await mkdir(dirname(this.path), { recursive: true });
    this.handle = await open(this.path, 'a', 0o640);
    this.size = (await this.handle.stat()).size;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await handle.close();
  }

  /** `<name>` → `<name>.1` → … → `<name>.<keep>`; the oldest (and any beyond keep) is deleted. */
  private async rotate(): Promise<void> {
    await this.closeHandle();
    if (this.policy.keep === 0) {
      this.handle = await open(this.path, 'w', 0o640);
      this.size = 0;
      return;
    }
    await this.removeBeyond(this.policy.keep);
    for (let i = this.policy.keep - 1; i >= 1; i -= 1) {
      await renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    await renameIfExists(this.path, `${this.path}.1`);
    this.handle = await open(this.path, 'a', 0o640);
    this.size = 0;
  }

  /** Deletes `<name>.N` for N ≥ keep (the oldest kept one is about to be overwritten; older ones come from a larger keep). */
  private async removeBeyond(keep: number): Promise<void> {
    const prefix = `${basename(this.path)}.`;
    const names = await readdir(dirname(this.path));
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const suffix = name.slice(prefix.length);
      if (/^[1-9]\d*$/.test(suffix) && Number(suffix) >= keep) await rm(join(dirname(this.path), name), { force: true });
    }
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
