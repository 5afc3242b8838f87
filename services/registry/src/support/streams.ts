import { Transform, TransformCallback } from 'node:stream';
import { AppError } from '@harbor/errors';

/** Passes bytes through, showing each chunk to `observe` (hashing, counting) on the way. */
export function tap(observe: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      observe(chunk);
      callback(null, chunk);
    },
  });
}

/** Passes at most `limit` bytes; one more fails the stream with `tooLarge()`. */
export function sizeLimit(limit: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  });
}

/** Errors that mean the client went away or sent less than it announced. */
export function isClientAbort(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  const message = (err as { message?: string } | null)?.message;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE' || message === 'aborted';
}

/** A client that stopped sending mid-body is told so (if it is still listening), not logged as a server fault. */
export function asUploadError(err: unknown): unknown {
  if (isClientAbort(err)) {
    return new AppError('BLOB_UPLOAD_INVALID', 'the request body ended before the announced length', undefined, { cause: err });
  }
  return err;
}
