import { UploadHandOverError, type FinalUploadReportKind } from '@harbor/http';
import { uploadDataPath } from '../storage/layout';
import { LocalFile, PathNotFoundError, StorageDriver } from '../storage/storage-driver';
import type { UploadHandOver } from '../support/upload-hand-over';
import type { ChunkFeed } from '../support/upload-hashing';

/**
 * How a handed-over chunk ended, with the upload's size as its file says:
 * the proxy's final report, or `broken` when the exchange failed (the proxy
 * went away, spoke something else, or reported bytes the file does not hold).
 */
export interface HandOverOutcome {
  kind: FinalUploadReportKind | 'broken';
  size: number;
  /** For the logs, never for the client. */
  reason?: string;
}

/**
 * The upload's file as the proxy may write it: only a plain local file whose
 * size is exactly where the upload stands (otherwise the bytes come through
 * the request body, as without a hand-over). Creates the file of a fresh
 * upload first: the proxy never creates files.
 */
export async function handOverTarget(storage: StorageDriver, uuid: string, offset: number): Promise<LocalFile | null> {
  const path = uploadDataPath(uuid);
  let file: LocalFile | null;
  try {
    file = await storage.localFile(path);
  } catch (err) {
    if (!(err instanceof PathNotFoundError) || offset !== 0) throw err;
    const writer = await storage.writer(path, true);
    await writer.close();
    file = await storage.localFile(path);
  }
  return file && file.size === offset ? file : null;
}

/**
 * Offers the file to the proxy and follows its reports: progress feeds the
 * hashing (which reads the file itself, so a wrong count cannot change a
 * digest), and the final report is checked against the file's size. Where
 * the hashing takes the proxy's word, the offer asks for the digest; once
 * the proxy says it will vouch, the file is not read while the bytes arrive,
 * and a final report's digest is passed on only for the size the file has.
 */
export async function receiveHandedOver(options: {
  storage: StorageDriver;
  uuid: string;
  file: LocalFile;
  limit: number | null;
  handOver: UploadHandOver;
  feed: ChunkFeed;
}): Promise<HandOverOutcome> {
  const { storage, uuid, file, limit, handOver, feed } = options;
  const offset = file.size;
  const storedSize = async () => (await storage.stat(uploadDataPath(uuid))).size;
  const vouching = feed.vouching ?? null;
  try {
    for await (const report of handOver.offerFile(file.relativePath, offset, limit, vouching?.algorithm ?? null)) {
      if (report.kind === 'vouching') {
        // The proxy says it will vouch: the file need not be read while the bytes arrive.
        vouching?.expect();
        continue;
      }
      if (report.kind === 'progress') {
        feed.stored(offset + report.written);
        continue;
      }
      const size = await storedSize();
      if (size !== offset + report.written) {
        return { kind: 'broken', size, reason: `proxy reported ${report.written} bytes written, the file grew by ${size - offset}` };
      }
      if (vouching && report.digest?.startsWith(`${vouching.algorithm}:`)) vouching.vouch(size, report.digest);
      return { kind: report.kind, size, ...(report.code ? { reason: report.code } : {}) };
    }
    return { kind: 'broken', size: await storedSize(), reason: 'reports ended early' };
  } catch (err) {
    // A proxy that went away ends the request body mid-report; anything else is a protocol fault.
    const reason = err instanceof UploadHandOverError ? err.message : `request ended: ${(err as Error).message}`;
    return { kind: 'broken', size: await storedSize(), reason };
  }
}
