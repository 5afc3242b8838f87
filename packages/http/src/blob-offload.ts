/**
 * The blob hand-over between the proxy and the registry.
 *
 * Carrying blob bytes registry → proxy → client costs a loopback hop and a
 * user-space copy per process. When the proxy can read the registry's
 * filesystem storage itself, it adds `X-Harbor-Blob-Offload: <internal secret>` to a blob
 * GET. The registry still does all of its work (token, the repository's link
 * to the blob, Range validation) and, when it can, answers with its usual
 * status and headers plus where the bytes are, and no body:
 *
 *   X-Harbor-Blob-File:   path of the blob's file relative to the storage root
 *   X-Harbor-Blob-Offset: first byte to send
 *   X-Harbor-Blob-Length: how many bytes (the client's Content-Length)
 *
 * That answer's own `Content-Length` is 0 (it has no body: the framing of the
 * internal message, not the client's); the proxy sends the byte range of the
 * file with `Content-Length` set to the announced length. Any `X-Harbor-Blob-*`
 * header a client sends is dropped at the proxy and none is ever answered to a
 * client, and the request header's value is the internal secret, so only the
 * proxy can ask for a hand-over, not even a caller on the registry's own port.
 */

import { sameSecret } from '@harbor/auth';
import { decimalCount, handOverChecks } from './hand-over-values';
import { headerFamily } from './header-family';

export const blobOffloadRequestHeader = 'x-harbor-blob-offload';
export const blobFileHeader = 'x-harbor-blob-file';
export const blobOffsetHeader = 'x-harbor-blob-offset';
export const blobLengthHeader = 'x-harbor-blob-length';

const headerPrefix = 'x-harbor-blob-';

/** Which bytes of which file answer the request. */
export interface BlobHandOver {
  /** Relative to the storage root, `/`-separated, no `.` or `..` components. */
  file: string;
  offset: number;
  length: number;
}

export class BlobHandOverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlobHandOverError';
  }
}

const check = handOverChecks('blob', (message) => new BlobHandOverError(message));

const blobHeaders = headerFamily(headerPrefix);

/** True for every header name of the hand-over family, in any case. */
export const isBlobOffloadHeader: (name: string) => boolean = blobHeaders.has;

/** Deletes every `X-Harbor-Blob-*` entry from a header record, in place. */
export const stripBlobOffloadHeaders: (headers: Record<string, unknown>) => void = blobHeaders.strip;

/** Whether a request asks for a blob hand-over: exactly one `X-Harbor-Blob-Offload: <internal secret>`. */
export function asksForBlobOffload(headers: Record<string, string | string[] | undefined>, secret: string): boolean {
  // Only the proxy holds the secret: a caller on the registry's own port cannot ask for a hand-over.
  const value = headers[blobOffloadRequestHeader];
  return sameSecret(typeof value === 'string' ? value : undefined, secret);
}

/** The response headers announcing a hand-over; throws BlobHandOverError on a value the proxy would refuse. */
export function blobHandOverHeaders(handOver: BlobHandOver): Record<string, string> {
  check.file(handOver.file);
  check.count('offset', handOver.offset);
  check.count('length', handOver.length);
  return {
    [blobFileHeader]: handOver.file,
    [blobOffsetHeader]: String(handOver.offset),
    [blobLengthHeader]: String(handOver.length),
  };
}

/**
 * Reads a hand-over from an upstream answer's headers: null when the answer
 * is an ordinary one (no `X-Harbor-Blob-File`), a BlobHandOverError when
 * the announcement is incomplete, repeated or names an unsafe path.
 */
export function parseBlobHandOver(headers: Record<string, string | string[] | undefined>): BlobHandOver | null {
  const file = headers[blobFileHeader];
  if (file === undefined) return null;
  const offset = headers[blobOffsetHeader];
  const length = headers[blobLengthHeader];
  if (typeof file !== 'string' || typeof offset !== 'string' || typeof length !== 'string') {
    throw new BlobHandOverError('blob hand-over needs exactly one file, offset and length');
  }
  check.file(file);
  if (!decimalCount.test(offset) || !decimalCount.test(length)) throw new BlobHandOverError('blob hand-over offset and length must be decimal byte counts');
  return { file, offset: Number(offset), length: Number(length) };
}
