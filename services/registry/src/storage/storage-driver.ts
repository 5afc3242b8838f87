import type { Readable, Writable } from 'node:stream';

/**
 * The seam between the registry and where bytes live, in the shape of CNCF
 * Distribution's StorageDriver. Paths are absolute, slash-separated and made
 * of `[A-Za-z0-9._-]` components (never `.` or `..`); the driver maps them
 * onto its medium. Every driver passes the suite in
 * `__tests__/storage-driver.contract.ts`.
 */
export interface StorageDriver {
  readonly name: string;
  /** Whole small files (never blobs): throws PathNotFoundError. */
  getContent(path: string): Promise<Buffer>;
  /** Replaces a small file atomically. */
  putContent(path: string, content: Uint8Array): Promise<void>;
  /**
   * A stream of the file from `offset`, `length` bytes or to the end. Throws
   * PathNotFoundError before any byte when the file is missing, and
   * InvalidOffsetError when `offset` lies past its end.
   */
  reader(path: string, offset?: number, length?: number): Promise<Readable>;
  /** A writer that creates the file, or appends to it when `append` is set. */
  writer(path: string, append: boolean, options?: WriterOptions): Promise<FileWriter>;
  stat(path: string): Promise<FileInfo>;
  /** Full paths of the direct children, sorted; the root of an empty store lists as []. */
  list(path: string): Promise<string[]>;
  /** Moves a file, replacing the destination; the move is durable once this resolves. */
  move(source: string, destination: string): Promise<void>;
  /** Deletes a file or a whole directory tree. */
  delete(path: string): Promise<void>;
  /** Calls `visit` for every file below `path` (depth first, sorted). */
  walk(path: string, visit: (info: FileInfo) => Promise<void> | void): Promise<void>;
  /**
   * Where a client may fetch the file directly (a presigned URL), or null to
   * stream it through the registry. Blob GETs answer 307 to it.
   */
  redirectUrl(path: string): Promise<string | null>;
  /**
   * Where the file lies on this machine, relative to the driver's root
   * directory, when it is a plain file there (the proxy may then send blob
   * bytes itself: see `blob-offload` in @harbor/http), or null when it is
   * not a plain file. A driver with a local medium throws PathNotFoundError
   * for a missing file; one without answers null without looking.
   */
  localFile(path: string): Promise<LocalFile | null>;
  /**
   * Removes what writes that never finished left behind (the partial copy of
   * a process killed mid-`putContent`), last touched before `before`, and
   * answers how many. Never anything a reader can see: those are the
   * callers' to remove.
   */
  removeLeftovers(before: Date): Promise<number>;
}

export interface LocalFile {
  /** `/`-separated, relative to the driver's root directory. */
  relativePath: string;
  size: number;
}

export interface FileInfo {
  path: string;
  size: number;
  modTime: Date;
  isDir: boolean;
}

export interface WriterOptions {
  /**
   * Called after each completed write with the file's total size: the bytes
   * up to it are in the file, readable by anyone who opens it (a local
   * driver's upload file is hashed that way). A driver without local files
   * may never call it.
   */
  onWritten?(size: number): void;
}

/**
 * Bytes go in through the Writable side (so `pipeline()` applies
 * back-pressure). Once the stream has finished, exactly one of:
 *   commit() — the bytes are durable (fsync or the medium's equivalent);
 *   close()  — the bytes are kept but not necessarily durable (a chunk of an
 *              upload that will be appended to later);
 *   cancel() — the file is removed.
 * A writer destroyed by a failed pipeline keeps what reached the medium, so an
 * interrupted upload can be resumed from `stat().size`.
 */
export interface FileWriter extends Writable {
  /** Bytes in the file so far, including those that were there before an append. */
  readonly size: number;
  commit(): Promise<void>;
  close(): Promise<void>;
  cancel(): Promise<void>;
}

export class PathNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`path not found: ${path}`);
    this.name = 'PathNotFoundError';
  }
}

export class InvalidPathError extends Error {
  constructor(readonly path: string) {
    super(`invalid storage path: ${JSON.stringify(path)}`);
    this.name = 'InvalidPathError';
  }
}

export class InvalidOffsetError extends Error {
  constructor(readonly path: string, readonly offset: number) {
    super(`invalid offset ${offset} for ${path}`);
    this.name = 'InvalidOffsetError';
  }
}

const pathPattern = /^(?:\/[A-Za-z0-9._-]+)+$/;

/** Throws InvalidPathError unless `path` is a clean absolute driver path (`/` allowed when `allowRoot`). */
export function checkPath(path: string, allowRoot = false): void {
  if (allowRoot && path === '/') return;
  if (!pathPattern.test(path) || path.split('/').some((part) => part === '.' || part === '..')) {
    throw new InvalidPathError(path);
  }
}
