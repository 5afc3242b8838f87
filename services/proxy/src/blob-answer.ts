import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '@harbor/errors';
import { parseBlobHandOver, type BlobHandOver } from '@harbor/http';
import type { Logger } from '@harbor/logging';
import { BlobFileMissingError, type BlobFiles, sendFileRange } from './blob-files';
import { describeClientConnection } from './client-connection';
import { sendError } from './proxy-error';
import { copyAnswerHead } from './upstream-answer';

/** `/v2/<name>/blobs/<digest>` in canonical form; an upload's path never ends in an `algorithm:hex` segment. */
const blobPath = /^\/v2\/.+\/blobs\/[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

export function isBlobPath(canonicalPath: string): boolean {
  return blobPath.test(canonicalPath);
}


export interface BlobAnswer {
  upstreamResponse: IncomingMessage;
  res: ServerResponse;
  blobFiles: BlobFiles;
  keepAliveSeconds: number;
  requestId: string;
  logger: Logger;
  onBytes(n: number): void;
}

/**
 * Answers a blob GET the proxy asked the registry to hand over. The
 * registry has done every check by now; its answer is either a hand-over
 * (status and headers for the client, plus which bytes of which file) or an
 * ordinary answer (401, 404, 416, a redirect, or the bytes themselves when it
 * could not hand over), which is relayed as it is, minus hop-by-hop headers.
 */
export async function answerBlob(answer: BlobAnswer): Promise<void> {
  const { upstreamResponse, res, requestId, logger } = answer;
  let handOver: BlobHandOver | null;
  try {
    handOver = parseBlobHandOver(upstreamResponse.headers);
    const status = upstreamResponse.statusCode;
    if (handOver && status !== 200 && status !== 206) throw new Error(`a hand-over with status ${status}`);
  } catch (err) {
    upstreamResponse.resume();
    logger.warning(`registry's blob hand-over refused: ${(err as Error).message}`, { requestId });
    sendError(res, cannotRead(), 'oci', requestId);
    return;
  }
  if (!handOver) {
    relay(answer);
    return;
  }
  // The hand-over has no body; reading its end frees the registry connection for the next request.
  upstreamResponse.resume();

  let handle: FileHandle;
  try {
    handle = await answer.blobFiles.open(handOver.file, handOver.offset + handOver.length);
  } catch (err) {
    logger.warning(`blob hand-over failed: ${(err as Error).message}`, { requestId });
    // Gone since the registry looked (garbage collection): what the registry itself answers then.
    const failure = err instanceof BlobFileMissingError ? new AppError('BLOB_UNKNOWN', 'blob unknown to registry') : cannotRead();
    sendError(res, failure, 'oci', requestId);
    return;
  }
  try {
    if (res.destroyed) return;
    // The hand-over's own Content-Length (0) frames the internal message; the client's is the range's.
    copyAnswerHead(upstreamResponse, res, ['content-length']);
    res.setHeader('Content-Length', handOver.length);
    describeClientConnection(res, answer.keepAliveSeconds);
    await sendFileRange(handle, res, handOver.offset, handOver.length, answer.onBytes);
    res.end();
  } catch (err) {
    // The status line may be out already: all that is left is to cut the response short.
    if (!res.destroyed) logger.warning(`blob hand-over cut short: ${(err as Error).message}`, { requestId });
    res.destroy();
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function relay({ upstreamResponse, res, keepAliveSeconds, onBytes }: BlobAnswer): void {
  if (res.destroyed) {
    upstreamResponse.resume();
    return;
  }
  copyAnswerHead(upstreamResponse, res);
  describeClientConnection(res, keepAliveSeconds);
  upstreamResponse.on('data', (chunk: Buffer) => onBytes(chunk.length));
  upstreamResponse.pipe(res);
}

function cannotRead(): AppError {
  return new AppError('INTERNAL_SERVER_ERROR', 'blob could not be read');
}
