import type { Readable } from 'node:stream';
import { AppError } from '@harbor/errors';

/** What `observed` feeds: a running hash. */
export interface ChunkObserver {
  update(chunk: Uint8Array): void;
}

/**
 * Shows every chunk of `body` to `observer` (hashing) as it flows to wherever
 * the body is piped next, and fails the body with `tooLarge()` once more than
 * `limit` bytes have come (0: no limit). A `data` listener beside the pipe
 * rather than a Transform in it: the hash reads the same buffers, and no
 * extra stream (its per-chunk callbacks, and a 16 KiB mark that paused the
 * socket on every 64 KiB chunk) sits between the socket and the file. The
 * chunk that crosses the limit may still reach the writer: the caller throws
 * the whole upload away then. Call it in the same tick as the pipe starts.
 */
export function observed<T extends Readable>(body: T, observer: ChunkObserver | undefined, limit: number, tooLarge: () => Error): T {
  if (!observer && limit <= 0) return body;
  let seen = 0;
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (limit > 0 && seen > limit) body.destroy(tooLarge());
    else observer?.update(chunk);
  });
  return body;
}

/** Errors that mean the client went away or sent less than it announced. */
export function isClientAbort(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  const message = (err as { message?: string } | null)?.message;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE' || message === 'aborted';
}

/** A client that stopped sending mid-body is told so (if it is still listening), not logged as a server fault. */
export function asUploadError(err: unknown): unknown {
  return isClientAbort(err) ? bodyEndedEarly(err) : err;
}

export function bodyEndedEarly(cause?: unknown): AppError {
  return new AppError('BLOB_UPLOAD_INVALID', 'the request body ended before the announced length', undefined, cause === undefined ? undefined : { cause });
}
