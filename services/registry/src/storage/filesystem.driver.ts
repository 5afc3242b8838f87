import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { FileHandle, lstat, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  checkPath,
  FileInfo,
  FileWriter,
  InvalidOffsetError,
  LocalFile,
  PathNotFoundError,
  StorageDriver,
  WriterOptions,
} from './storage-driver';

/** Large enough that socket-sized chunks are batched into few write syscalls. */
const chunkBytes = 1024 * 1024;

/**
 * Written bytes after which the writer asks the kernel to write them back
 * (a datasync it does not wait for), so the final fsync of a large file only
 * has the tail left instead of everything the kernel kept dirty.
 */
const writebackBytes = 32 * 1024 * 1024;

/**
 * Below the root, where `putContent` writes a copy before renaming it into
 * place: one directory, so what a killed process left is found without
 * walking the store (`removeLeftovers`). Listings hide it, as every `*.tmp`.
 */
const partialDirectoryName = '.tmp';

/** Driver paths mapped below one directory of the local filesystem. */
export class FilesystemDriver implements StorageDriver {
  readonly name = 'filesystem';
  private readonly partialDirectory: string;

  /** Creates the root directory, so a fresh install is healthy before its first push. */
  constructor(private readonly rootDirectory: string) {
    mkdirSync(rootDirectory, { recursive: true });
    this.partialDirectory = join(rootDirectory, partialDirectoryName);
    mkdirSync(this.partialDirectory, { recursive: true });
  }

  private local(path: string, allowRoot = false): string {
    checkPath(path, allowRoot);
    return join(this.rootDirectory, path);
  }

  async getContent(path: string): Promise<Buffer> {
    return notFoundAs(path, () => readFile(this.local(path)));
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    const target = this.local(path);
    // Write a copy and rename it over the target, so readers see old or new, never half.
    const temporary = join(this.partialDirectory, randomUUID());
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeSynced(temporary, content).catch(async (err: unknown) => {
        // Made at start, so not made again for every small blob; only if someone removed it since.
        if (!isNotFound(err)) throw err;
        await mkdir(this.partialDirectory, { recursive: true });
        await writeSynced(temporary, content);
      });
      await rename(temporary, target);
    } catch (err) {
      // A full disk or a failed sync must not leave a partial copy behind (listings skip it, nothing else would remove it).
      await unlink(temporary).catch(() => undefined);
      throw err;
    }
    await syncDirectory(dirname(target));
  }

  async reader(path: string, offset = 0, length?: number): Promise<Readable> {
    const handle = await notFoundAs(path, () => open(this.local(path), 'r'));
    try {
      const { size } = await handle.stat();
      if (offset < 0 || offset > size) throw new InvalidOffsetError(path, offset);
      const end = length === undefined ? size - 1 : Math.min(size, offset + length) - 1;
      if (end < offset) {
        await handle.close();
        return Readable.from([]);
      }
      return handle.createReadStream({ start: offset, end, highWaterMark: chunkBytes, autoClose: true });
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  async writer(path: string, append: boolean, options: WriterOptions = {}): Promise<FileWriter> {
    const target = this.local(path);
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(target, append ? 'a' : 'w');
    const { size } = await handle.stat();
    return new FilesystemFileWriter(handle, target, size, options);
  }

  async stat(path: string): Promise<FileInfo> {
    const info = await notFoundAs(path, () => stat(this.local(path, true)));
    return { path, size: info.isDirectory() ? 0 : info.size, modTime: info.mtime, isDir: info.isDirectory() };
  }

  async list(path: string): Promise<string[]> {
    const local = this.local(path, true);
    try {
      const names = await readdir(local);
      return names.filter((n) => !n.endsWith('.tmp')).sort().map((n) => (path === '/' ? `/${n}` : `${path}/${n}`));
    } catch (err) {
      if (isNotFound(err) && path === '/') return [];
      if (isNotFound(err)) throw new PathNotFoundError(path);
      throw err;
    }
  }

  async move(source: string, destination: string): Promise<void> {
    const from = this.local(source);
    const to = this.local(destination);
    await mkdir(dirname(to), { recursive: true });
    await notFoundAs(source, () => rename(from, to));
    // The rename itself is only durable once the directory entry is on disk.
    await syncDirectory(dirname(to));
  }

  async delete(path: string): Promise<void> {
    // Without `force`, rm itself reports a missing path: no stat first.
    await notFoundAs(path, () => rm(this.local(path), { recursive: true }));
  }

  async walk(path: string, visit: (info: FileInfo) => Promise<void> | void): Promise<void> {
    for (const child of await this.list(path)) {
      const info = await this.stat(child).catch((err: unknown) => {
        if (err instanceof PathNotFoundError) return null; // removed while walking
        throw err;
      });
      if (!info) continue;
      if (info.isDir) await this.walk(child, visit);
      else await visit(info);
    }
  }

  /** Local files have no URL of their own: the registry streams them. */
  async redirectUrl(path: string): Promise<string | null> {
    checkPath(path);
    return null;
  }

  async removeLeftovers(before: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.partialDirectory);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const file = join(this.partialDirectory, name);
      // A copy still being written is recent; one another process renamed meanwhile is gone (null).
      const info = await lstat(file).catch(() => null);
      if (!info || info.mtime >= before) continue;
      await rm(file, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  /** lstat, not stat: a symbolic link is not handed to anyone else to follow. */
  async localFile(path: string): Promise<LocalFile | null> {
    const info = await notFoundAs(path, () => lstat(this.local(path)));
    return info.isFile() ? { relativePath: path.slice(1), size: info.size } : null;
  }
}

class FilesystemFileWriter extends Writable implements FileWriter {
  private written: number;
  private handleClosed = false;
  /** Bytes written since the last writeback was started. */
  private unsynced = 0;
  /** The writeback in flight: at most one, so they never hold more than one thread of libuv's small pool. */
  private writeback: Promise<void> | null = null;
  private writebackError: unknown = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly target: string,
    initialSize: number,
    private readonly options: WriterOptions = {},
  ) {
    // No autoDestroy: the handle must outlive "finish" so commit() can fsync it.
    super({ highWaterMark: chunkBytes, autoDestroy: false });
    this.written = initialSize;
  }

  get size(): number {
    return this.written;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A writeback error is not reported here: nothing of a destroyed writer was promised durable.
    this.closeHandle().then(() => callback(error), () => callback(error));
  }

  async commit(): Promise<void> {
    try {
      await this.finished();
      await this.settleWriteback();
      await this.handle.sync();
    } finally {
      await this.closeHandle();
    }
  }

  async close(): Promise<void> {
    try {
      await this.finished();
      // Not a promise of durability, but a failed writeback means bytes may be lost: the chunk must not be acknowledged.
      await this.settleWriteback();
    } finally {
      await this.closeHandle();
    }
  }

  async cancel(): Promise<void> {
    this.destroy();
    await this.closeHandle();
    await rm(this.target, { force: true });
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    let pending = buffers.filter((b) => b.length > 0);
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending);
      this.written += bytesWritten;
      // A short write is legal: carry on with what is left.
      let skip = bytesWritten;
      const rest: Buffer[] = [];
      for (const buffer of pending) {
        if (skip >= buffer.length) skip -= buffer.length;
        else {
          rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
          skip = 0;
        }
      }
      pending = rest;
      this.startWriteback(bytesWritten);
    }
    if (!this.destroyed) this.options.onWritten?.(this.written);
  }

  /** Every `writebackBytes`, a datasync the write path does not wait for (none while one runs). */
  private startWriteback(bytes: number): void {
    this.unsynced += bytes;
    if (this.unsynced < writebackBytes || this.writeback) return;
    this.unsynced = 0;
    this.writeback = this.handle.datasync().then(
      () => {
        this.writeback = null;
      },
      (err: unknown) => {
        this.writebackError ??= err;
        this.writeback = null;
      },
    );
  }

  private async settleWriteback(): Promise<void> {
    await this.writeback;
    if (this.writebackError) throw this.writebackError;
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

  /** After any writeback in flight, which needs the descriptor. */
  private async closeHandle(): Promise<void> {
    if (this.handleClosed) return;
    this.handleClosed = true;
    await this.writeback;
    await this.handle.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function notFoundAs<T>(path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (isNotFound(err)) throw new PathNotFoundError(path);
    throw err;
  }
}

/** A new file holding `content`, on disk (fsynced) before this returns. */
async function writeSynced(path: string, content: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
