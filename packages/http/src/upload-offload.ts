/**
 * The upload hand-over between the proxy and the registry.
 *
 * Carrying an upload's body client → proxy → registry → file costs a
 * loopback hop, a second socket read and, in the registry, a buffer per
 * socket read to collect. When the proxy can write the registry's upload
 * files itself, it sends the upload request (PATCH, PUT or POST ?digest=
 * with a body) to the registry with `X-Harbor-Upload-Offload: <internal secret>`, the
 * client's `Content-Length` as `X-Harbor-Upload-Length` (when it sent one),
 * and a chunked request body it holds open. The registry does all of its
 * usual checks (token, the upload session, Content-Range, size limits) and
 * then, before its final answer, sends an informational response
 * (`103`) saying how the bytes should come:
 *
 *   X-Harbor-Upload-Mode: file     the proxy writes the client's body into
 *   X-Harbor-Upload-File:          this file (relative to the storage root,
 *                                  an existing upload file, never created by the proxy)
 *   X-Harbor-Upload-Offset:        from this byte (the file's size now)
 *   X-Harbor-Upload-Limit:         at most this many bytes (absent: no limit)
 *   X-Harbor-Upload-Hash:          sha256 or sha512 (optional): the final
 *                                  line may vouch for the digest of the
 *                                  file's bytes from 0 to its end (any
 *                                  other value: no digest is vouched for)
 *
 *   X-Harbor-Upload-Mode: body     the proxy sends the client's body as the
 *                                  request body, as without a hand-over
 *
 * In file mode the request body carries progress lines instead of bytes, in
 * ASCII, one per line (`\n`), each counting the bytes written so far:
 *
 *   vouching 0             (first, and only after an offer asking for a hash)
 *                          the proxy hashes this request's bytes on top of
 *                          what it saw of the file before, and will vouch
 *                          for the digest in its final line: the registry
 *                          need not read them back meanwhile
 *   progress <written>     bytes up to here are in the file (sent every few MiB)
 *   end <written> [digest] the client's body was complete and is all in the file
 *   abort <written> [digest] the client went away or its body ended early
 *   over <written> [digest] the client sent more than the limit (the proxy
 *                          stopped at it and closes the client's connection)
 *   fail <written> <code>  the proxy could not write (ENOSPC, EIO, ...); a code
 *                          starting `SYNC_` means a datasync failed, so bytes
 *                          the file seems to hold may be lost: the upload is
 *                          dropped rather than resumed
 *
 * The digest on a final line answers an offer's `X-Harbor-Upload-Hash`: the
 * proxy hashed the bytes it wrote, in the file's order, on top of a running
 * hash it kept from its own earlier hand-overs of the same file (so it can
 * only vouch when every byte from 0 went through it, and it says nothing
 * otherwise). The registry takes that digest instead of reading the file
 * back, only when the file's size is what the line says; the request that
 * carries it carried the internal secret, so only the proxy can vouch. The
 * counts themselves are trusted for nothing: the registry takes sizes from
 * the file. After the final line the proxy ends the request body and relays
 * the registry's final answer. The registry may answer finally at any
 * time (a refusal before the 103 means no byte is written). Any
 * `X-Harbor-Upload-*` header a client sends is dropped at the proxy, and
 * none is ever answered to a client; the request header's value is the
 * internal secret, so a caller on the registry's own port cannot ask for a
 * hand-over either.
 */

import { sameSecret } from '@harbor/auth';
import { isDigest, isDigestAlgorithm, type DigestAlgorithm } from '@harbor/oci';
import { decimalCount, handOverChecks } from './hand-over-values';
import { headerFamily } from './header-family';

export const uploadOffloadRequestHeader = 'x-harbor-upload-offload';
export const uploadLengthHeader = 'x-harbor-upload-length';
export const uploadModeHeader = 'x-harbor-upload-mode';
export const uploadFileHeader = 'x-harbor-upload-file';
export const uploadOffsetHeader = 'x-harbor-upload-offset';
export const uploadLimitHeader = 'x-harbor-upload-limit';
export const uploadHashHeader = 'x-harbor-upload-hash';

/** The informational status of the offer (Early Hints: any 1xx a client does not know is ignored). */
export const uploadOfferStatus = 103;

/** Starts the code of a `fail` report whose cause was a failed datasync (`SYNC_EIO`). */
export const syncFailurePrefix = 'SYNC_';

/** How often, at most, the proxy reports progress while writing. */
export const uploadProgressEveryBytes = 4 * 1024 * 1024;

const headerPrefix = 'x-harbor-upload-';

/** What the registry offers once the request passed its checks. */
export type UploadOffer =
  | { mode: 'file'; file: string; offset: number; limit: number | null; hash: DigestAlgorithm | null }
  | { mode: 'body' };

export type UploadReportKind = 'vouching' | 'progress' | 'end' | 'abort' | 'over' | 'fail';

/** The lines that end a report: every other line is followed by more. */
export type FinalUploadReportKind = Exclude<UploadReportKind, 'vouching' | 'progress'>;

export function isFinalUploadReport(kind: UploadReportKind): kind is FinalUploadReportKind {
  return kind !== 'progress' && kind !== 'vouching';
}

/** One line of the proxy's report. */
export interface UploadReport {
  kind: UploadReportKind;
  /** Bytes of the client's body written to the file so far. */
  written: number;
  /** For `fail`: the error code (letters, digits, `_`). */
  code?: string;
  /** For a final line other than `fail`: the digest of the file's bytes from 0 to here, when the proxy can vouch for it. */
  digest?: string;
}

export class UploadHandOverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadHandOverError';
  }
}

const check = handOverChecks('upload', (message) => new UploadHandOverError(message));

const failCode = /^[A-Za-z0-9_]{1,40}$/;
const reportKinds: readonly UploadReportKind[] = ['vouching', 'progress', 'end', 'abort', 'over', 'fail'];
/** Longer than any valid line (the longest: `abort`, 15 digits and a sha512 digest): a peer sending more without a newline is not speaking this protocol. */
export const uploadReportMaxLineBytes = 200;

const uploadHeaders = headerFamily(headerPrefix);

/** True for every header name of the hand-over family, in any case. */
export const isUploadOffloadHeader: (name: string) => boolean = uploadHeaders.has;

/** Deletes every `X-Harbor-Upload-*` entry from a header record, in place. */
export const stripUploadOffloadHeaders: (headers: Record<string, unknown>) => void = uploadHeaders.strip;

/** Whether a request asks for an upload hand-over: exactly one `X-Harbor-Upload-Offload: <internal secret>`. */
export function asksForUploadOffload(headers: Record<string, string | string[] | undefined>, secret: string): boolean {
  // Only the proxy holds the secret: a caller on the registry's own port cannot ask for a hand-over.
  const value = headers[uploadOffloadRequestHeader];
  return sameSecret(typeof value === 'string' ? value : undefined, secret);
}

/**
 * The client's body length as the proxy passed it on: a byte count, null
 * when the client sent none (chunked), 'invalid' when the header is not one
 * decimal count.
 */
export function announcedUploadLength(headers: Record<string, string | string[] | undefined>): number | null | 'invalid' {
  const value = headers[uploadLengthHeader];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !decimalCount.test(value)) return 'invalid';
  return Number(value);
}

/** The headers of the 103 offer; throws UploadHandOverError on a value the proxy would refuse. */
export function uploadOfferHeaders(offer: UploadOffer): Record<string, string> {
  if (offer.mode === 'body') return { [uploadModeHeader]: 'body' };
  check.file(offer.file);
  check.count('offset', offer.offset);
  if (offer.limit !== null) check.count('limit', offer.limit);
  return {
    [uploadModeHeader]: 'file',
    [uploadFileHeader]: offer.file,
    [uploadOffsetHeader]: String(offer.offset),
    ...(offer.limit !== null ? { [uploadLimitHeader]: String(offer.limit) } : {}),
    ...(offer.hash !== null ? { [uploadHashHeader]: offer.hash } : {}),
  };
}

/**
 * Reads an offer from a 1xx answer's headers: null when the answer is not an
 * offer (no `X-Harbor-Upload-Mode`), an UploadHandOverError when the offer is
 * incomplete, repeated or names an unsafe path.
 */
export function parseUploadOffer(headers: Record<string, string | string[] | undefined>): UploadOffer | null {
  const mode = headers[uploadModeHeader];
  if (mode === undefined) return null;
  if (mode === 'body') return { mode: 'body' };
  if (mode !== 'file') throw new UploadHandOverError(`unknown upload hand-over mode: ${JSON.stringify(String(mode).slice(0, 40))}`);
  const file = headers[uploadFileHeader];
  const offset = headers[uploadOffsetHeader];
  const limit = headers[uploadLimitHeader];
  const hash = headers[uploadHashHeader];
  if (typeof file !== 'string' || typeof offset !== 'string' || (limit !== undefined && typeof limit !== 'string')) {
    throw new UploadHandOverError('upload hand-over needs exactly one file and offset, and at most one limit');
  }
  check.file(file);
  if (!decimalCount.test(offset) || (limit !== undefined && !decimalCount.test(limit))) {
    throw new UploadHandOverError('upload hand-over offset and limit must be decimal byte counts');
  }
  // Only a hint: a value this side does not know (a newer registry's algorithm, a repeated header) means no digest
  // is vouched for, and the registry hashes the file itself; the upload goes on either way.
  return { mode: 'file', file, offset: Number(offset), limit: limit === undefined ? null : Number(limit), hash: typeof hash === 'string' && isDigestAlgorithm(hash) ? hash : null };
}

/** One report as its line, newline included. */
export function formatUploadReport(report: UploadReport): string {
  check.count('written', report.written);
  if (report.kind === 'fail') {
    const code = report.code && failCode.test(report.code) ? report.code : 'EIO';
    return `fail ${report.written} ${code}\n`;
  }
  if (report.digest !== undefined && isFinalUploadReport(report.kind)) {
    if (!isDigest(report.digest)) throw new UploadHandOverError(`not a digest an upload report can carry: ${JSON.stringify(report.digest.slice(0, 140))}`);
    return `${report.kind} ${report.written} ${report.digest}\n`;
  }
  return `${report.kind} ${report.written}\n`;
}

/** Parses one line (without its newline); throws UploadHandOverError on anything else. */
export function parseUploadReport(line: string): UploadReport {
  const parts = line.split(' ');
  const kind = parts[0] as UploadReportKind;
  // `fail` needs its code; the other final lines may carry a digest; progress and vouching are the count alone.
  const partCounts = kind === 'fail' ? [3] : isFinalUploadReport(kind) ? [2, 3] : [2];
  if (!reportKinds.includes(kind) || !partCounts.includes(parts.length) || !decimalCount.test(parts[1] ?? '')) {
    throw new UploadHandOverError(`not an upload report line: ${JSON.stringify(line.slice(0, uploadReportMaxLineBytes))}`);
  }
  const written = Number(parts[1]);
  if (kind === 'fail') {
    if (!failCode.test(parts[2] ?? '')) throw new UploadHandOverError('upload fail report needs an error code');
    return { kind, written, code: parts[2] };
  }
  if (parts.length === 3) {
    if (!isDigest(parts[2]!)) throw new UploadHandOverError(`upload ${kind} report carries no digest: ${JSON.stringify(parts[2]!.slice(0, 140))}`);
    return { kind, written, digest: parts[2] };
  }
  return { kind, written };
}

/**
 * The reports in a request body, in order, as they arrive; the final one
 * ends the sequence (nothing after it is read). Throws UploadHandOverError
 * when the body ends without a final report, a line is malformed or too
 * long, the counts go backwards, or `vouching` is not the first line at 0.
 */
export async function* readUploadReports(body: AsyncIterable<Buffer | string>): AsyncGenerator<UploadReport> {
  let pending = '';
  let last = 0;
  let first = true;
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
      const report = parseUploadReport(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (report.kind === 'vouching' && (!first || report.written !== 0)) throw new UploadHandOverError('upload vouching line must be the first, at 0');
      first = false;
      if (report.written < last) throw new UploadHandOverError('upload report counts went backwards');
      last = report.written;
      yield report;
      if (isFinalUploadReport(report.kind)) return;
    }
    if (pending.length > uploadReportMaxLineBytes) throw new UploadHandOverError('upload report line too long');
  }
  throw new UploadHandOverError(pending.length > 0 ? 'upload report cut off' : 'upload reports ended without a final one');
}
