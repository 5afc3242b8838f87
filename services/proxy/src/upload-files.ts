import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectWriteBuffers, openDirect, type FileIdentity } from './direct-writes';
import { isNotFound, StorageRoot } from './storage-root';
import type { DirectWrites } from './upload-writer';

/** The only files the proxy ever writes: an upload session's data file, as the registry names it. */
const uploadFile = /^uploads\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/data$/;

/** The registry named something the proxy must not write: not an upload file, a link, not a plain file, the wrong size. */
export class UploadFileRefusedError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`upload file ${JSON.stringify(file.slice(0, 200))} refused: ${reason}`);
    this.name = 'UploadFileRefusedError';
  }
}

/** The file is not there (the session is gone, or the storage root is not). */
export class UploadFileMissingError extends Error {
  constructor(readonly file: string, reason = 'not found') {
    super(`upload file ${JSON.stringify(file.slice(0, 200))} ${reason}`);
    this.name = 'UploadFileMissingError';
  }
}

/**
 * The proxy's writable view of the registry's upload files, for the upload
 * hand-over (`upload-offload` in @harbor/http). It opens only files that
 * the registry created (never `O_CREAT`), named `uploads/<uuid>/data`, with
 * no symbolic link anywhere below the real storage root, not linked
 * elsewhere (one hard link), and exactly as long as the offer's offset — so
 * a wrong or hostile offer cannot make the proxy write anything else.
 */
export class UploadFiles {
  private readonly root: StorageRoot;
  /** Offers refused in a row, and until when hand-overs are paused after too many. */
  private refusedInARow = 0;
  private pausedUntil = 0;
  private readonly pause: { afterRefusals: number; ms: number };
  private readonly directBuffers: DirectWriteBuffers | null;
  /** What `open` found each handle to be, so `direct` need not stat it again. */
  private readonly identities = new WeakMap<FileHandle, FileIdentity>();

  constructor(
    rootDirectory: string,
    options: {
      /** Offers failing to open this many times in a row pause hand-overs for `ms`. */
      pause?: { afterRefusals: number; ms: number };
      /** Buffers for writing past the page cache; 0 writes every upload through it. */
      directSlots?: number;
    } = {},
  ) {
    this.root = new StorageRoot(rootDirectory);
    this.pause = options.pause ?? { afterRefusals: 3, ms: 60_000 };
    this.directBuffers = options.directSlots === 0 ? null : new DirectWriteBuffers(options.directSlots);
  }

  /**
   * Direct writes for a file `open` gave, or null when none are free or the
   * filesystem has none; `release` closes the descriptor and frees the buffer.
   */
  async direct(handle: FileHandle): Promise<(DirectWrites & { release: () => Promise<void> }) | null> {
    const pool = this.directBuffers;
    const buffer = pool?.take();
    if (!pool || !buffer) return null;
    const twin = await openDirect(handle, this.identities.get(handle));
    if (twin === null || twin === 'unsupported') {
      if (twin === 'unsupported') pool.unsupported();
      pool.give(buffer);
      return null;
    }
    let released = false;
    return {
      handle: twin,
      buffer,
      unsupported: () => pool.unsupported(),
      release: async () => {
        // Given back twice, one buffer would be handed to two uploads at once, each staging over the other's bytes.
        if (released) return;
        released = true;
        await twin.close().catch(() => undefined);
        pool.give(buffer);
      },
    };
  }

  /** The memory of the direct-write buffers, shared with a hashing thread; null when there are none. */
  get sharedMemory(): SharedArrayBuffer | null {
    return this.directBuffers?.memory ?? null;
  }

  /** Whether the storage root exists yet (the registry creates it at start, maybe after the proxy). */
  ready(): boolean {
    return this.root.ready();
  }

  /**
   * Whether to ask for hand-overs now: the root exists, and offers have not
   * just kept failing. A proxy whose root is not the registry's (a wrong
   * mount, no write permission) would otherwise fail every large push with a
   * 502; paused, the bodies go through the registry while the error log says why.
   */
  usable(now = Date.now()): boolean {
    return now >= this.pausedUntil && this.ready();
  }

  /** An offered file was opened. */
  opened(): void {
    this.refusedInARow = 0;
  }

  /** An offered file could not be opened; answers true when that pauses hand-overs. */
  refused(now = Date.now()): boolean {
    this.refusedInARow += 1;
    if (this.refusedInARow < this.pause.afterRefusals) return false;
    this.refusedInARow = 0;
    this.pausedUntil = now + this.pause.ms;
    return true;
  }

  /** Opens the file for writing at `offset`; the caller closes it. */
  async open(file: string, offset: number): Promise<FileHandle> {
    if (!uploadFile.test(file)) throw new UploadFileRefusedError(file, 'not an upload data file');
    if (!this.ready()) throw new UploadFileMissingError(file, 'has no storage root');
    // Every component is fixed by the pattern, so the file's real path is exactly this unless a link is on the way.
    const expected = join(this.root.realPath, file);
    let real: string;
    try {
      real = await realpath(expected);
    } catch (err) {
      if (isNotFound(err)) throw new UploadFileMissingError(file);
      throw err;
    }
    if (real !== expected) throw new UploadFileRefusedError(file, 'a symbolic link is on its path');
    // Opening a FIFO for writing would wait for a reader (and hold a libuv thread); look first.
    if (!(await lstat(expected).catch(() => null))?.isFile()) throw new UploadFileRefusedError(file, 'not a plain file');
    let handle: FileHandle;
    try {
      // O_NOFOLLOW: a link swapped in after realpath is not followed; O_NONBLOCK: nor is a FIFO
      // swapped in waited on (no effect on a plain file); no O_CREAT: only the registry makes upload files.
      handle = await open(expected, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      if (isNotFound(err)) throw new UploadFileMissingError(file);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new UploadFileRefusedError(file, 'is a symbolic link');
      if (code === 'ENXIO' || code === 'EISDIR') throw new UploadFileRefusedError(file, 'not a plain file');
      throw err;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new UploadFileRefusedError(file, 'not a plain file');
      // A second name would let the bytes land in a file the registry does not own (a hard link from elsewhere).
      if (info.nlink !== 1) throw new UploadFileRefusedError(file, `has ${info.nlink} links`);
      if (info.size !== offset) throw new UploadFileRefusedError(file, `is ${info.size} bytes, offset ${offset} offered`);
      await checkOpenedPath(handle, expected, file);
      this.identities.set(handle, { dev: info.dev, ino: info.ino });
      return handle;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }
}

/**
 * A directory swapped for a link between realpath and open would still be
 * followed (O_NOFOLLOW guards the last component only); the descriptor's own
 * path says where the file really is. Skipped where /proc is not mounted.
 */
async function checkOpenedPath(handle: FileHandle, expected: string, file: string): Promise<void> {
  let opened: string;
  try {
    opened = await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return;
  }
  if (opened !== expected) throw new UploadFileRefusedError(file, 'moved while it was opened');
}
