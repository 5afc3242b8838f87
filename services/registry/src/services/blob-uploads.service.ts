import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, fail } from '@harbor/errors';
import { syncFailurePrefix } from '@harbor/http';
import { DigestAlgorithm, Digester, ParsedDigest, projectOf } from '@harbor/oci';
import type { BlobDao, BlobRow } from '../dao/blob.dao';
import type { UploadDao } from '../dao/upload.dao';
import { blobDataPath, uploadDataPath, uploadDirectory, uploadsRoot } from '../storage/layout';
import { LocalFile, PathNotFoundError, StorageDriver } from '../storage/storage-driver';
import { ByteRange, uploadRange } from '../support/byte-ranges';
import type { KeyedMutex } from '../support/keyed-mutex';
import { asUploadError, bodyEndedEarly, observed } from '../support/streams';
import type { UploadHandOver } from '../support/upload-hand-over';
import type { ChunkFeed, UploadHashing } from '../support/upload-hashing';
import { handOverTarget, receiveHandedOver } from './handed-over-bytes';
import type { Repositories } from './repositories.service';

export interface UploadSession {
  uuid: string;
  repositoryName: string;
  /** Bytes received so far. */
  size: number;
}

/** A session as the upload steps see it. */
interface ActiveUpload extends UploadSession {
  /**
   * Whether a `blob_upload` row tracks it. A one-shot POST ?digest= has none:
   * nothing can resume it, and bytes it leaves behind after a crash sit under
   * /uploads without a row, which the purge's storage walk removes.
   */
  tracked: boolean;
  /** The row was touched moments ago, so a write need not refresh it for the purge. */
  fresh: boolean;
  /** The repository's id when it existed as the request began; null until its first blob. */
  repositoryId: number | null;
}

/** One request body's worth of bytes for an upload. */
export interface Chunk {
  /** The request body: the bytes, unless `handOver` is set (then only after `offerBody()`). */
  body: Readable;
  /** The client's Content-Range, when it sent one ('invalid' when it could not be read). */
  range: ByteRange | 'invalid' | null;
  /** The client's Content-Length, when it sent one. */
  contentLength: number | null;
  /** Set when the proxy asked to write the bytes into the upload's file itself. */
  handOver?: UploadHandOver;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A whole blob at most this long, sent in one request with its length (an
 * image's config, many small layers), is read into memory, verified, and
 * written straight to its place in the store: no upload file, and no
 * directory made and removed under /uploads, whose parent every concurrent
 * push locks for both. Those directory steps were the costliest storage
 * work of a small push.
 */
const inMemoryMaxBytes = 1024 * 1024;

export interface BlobUploadsDeps {
  uploads: UploadDao;
  blobs: BlobDao;
  repositories: Repositories;
  storage: StorageDriver;
  hashing: UploadHashing;
  locks: KeyedMutex;
  /** Largest blob accepted, in bytes; 0 for no limit. */
  maxBlobBytes: number;
  /** What all requests may hold in memory for whole small blobs at once; a request beyond it goes through an upload file. */
  smallBlobMemoryBytes: number;
}

/**
 * Upload sessions, from POST to the final PUT. Bytes are appended under
 * /uploads/<uuid> and hashed as they arrive; the blob appears (storage move,
 * then blob + link rows in one transaction) only after the digest matched and
 * the bytes were fsynced. A wrong digest discards the upload; a dropped
 * connection keeps what arrived, so the client can ask for the offset and resume.
 */
export class BlobUploads {
  /** Bytes of whole small blobs held in memory right now. */
  private inMemory = 0;

  constructor(private readonly deps: BlobUploadsDeps) {}

  async start(name: string): Promise<UploadSession> {
    const uuid = randomUUID();
    // The row first: bytes without a row could only be found by walking storage.
    // It is only created inside an existing project (checked by the same statement).
    if (!(await this.deps.uploads.createInProject(uuid, name, projectOf(name)))) {
      throw fail('NAME_UNKNOWN', `project ${projectOf(name)} not found`, { name });
    }
    return { uuid, repositoryName: name, size: 0 };
  }

  async find(name: string, uuid: string): Promise<UploadSession> {
    const { uuid: id, repositoryName, size } = await this.active(name, uuid);
    return { uuid: id, repositoryName, size };
  }

  /** PATCH: appends a chunk; answers the new size. */
  async append(name: string, uuid: string, chunk: Chunk): Promise<UploadSession> {
    return this.deps.locks.run(uuid, async () => {
      const session = await this.active(name, uuid);
      const size = await this.write(session, chunk, 'sha256', false);
      return { uuid: session.uuid, repositoryName: session.repositoryName, size };
    });
  }

  /** PUT ?digest=: appends the last chunk if any, verifies, publishes. */
  async finish(name: string, uuid: string, digest: ParsedDigest, chunk: Chunk | null): Promise<BlobRow> {
    return this.deps.locks.run(uuid, async () => this.complete(await this.active(name, uuid), digest, chunk));
  }

  /**
   * POST ?digest=: the whole blob in one request. There is no session to
   * resume, so no row either: the bytes go under /uploads/<fresh uuid> and
   * are either published or removed before the answer; after a crash they
   * are a row-less upload directory, invisible, which the purge removes.
   */
  async monolithic(name: string, digest: ParsedDigest, chunk: Chunk): Promise<BlobRow> {
    // Checked before a byte is read, as a session start would: an existing repository implies its project.
    const repository = await this.deps.repositories.find(name);
    if (!repository) await this.deps.repositories.requireProject(name);
    const session: ActiveUpload = {
      uuid: randomUUID(),
      repositoryName: name,
      size: 0,
      tracked: false,
      fresh: true,
      repositoryId: repository?.repositoryId ?? null,
    };
    try {
      return await this.complete(session, digest, chunk);
    } catch (err) {
      await this.discard(session).catch(() => undefined);
      throw err;
    }
  }

  async cancel(name: string, uuid: string): Promise<void> {
    await this.deps.locks.run(uuid, async () => {
      await this.discard(await this.active(name, uuid));
    });
  }

  /** Removes sessions idle for `minutes` (rows and bytes), upload bytes whose row is gone, and the storage's leftovers as old. */
  async purge(minutes: number): Promise<number> {
    let purged = 0;
    for (const uuid of await this.deps.uploads.idleFor(minutes)) {
      await this.deps.locks.run(uuid, () => this.discard({ uuid, tracked: true }));
      purged++;
    }
    const cutoff = Date.now() - minutes * 60_000;
    for (const directory of await this.deps.storage.list(uploadsRoot).catch(notFoundAsEmpty)) {
      const uuid = directory.slice(uploadsRoot.length + 1);
      if (!uuidPattern.test(uuid) || (await this.deps.uploads.exists(uuid))) continue;
      if ((await this.lastTouched(uuid)) > cutoff) continue;
      await this.deps.storage.delete(directory).catch(ignoreNotFound);
      purged++;
    }
    // Partial copies of small blobs a killed process was writing.
    return purged + (await this.deps.storage.removeLeftovers(new Date(cutoff)));
  }

  /**
   * When a row-less upload's bytes last changed, in ms (Infinity when gone
   * meanwhile): its file's time when newer than its directory's, since a
   * one-shot POST still being written touches only the file.
   */
  private async lastTouched(uuid: string): Promise<number> {
    const [directory, file] = await Promise.all([
      this.deps.storage.stat(uploadDirectory(uuid)).catch(() => null),
      this.deps.storage.stat(uploadDataPath(uuid)).catch(() => null),
    ]);
    if (!directory) return Infinity;
    return Math.max(directory.modTime.getTime(), file?.modTime.getTime() ?? 0);
  }

  private async active(name: string, uuid: string): Promise<ActiveUpload> {
    const row = uuidPattern.test(uuid) ? await this.deps.uploads.find(uuid) : undefined;
    // An upload is only visible through the repository it was started in.
    if (!row || row.repositoryName !== name) throw fail('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { uuid });
    return { ...row, tracked: true };
  }

  /** The final step: the last chunk if any, made durable, verified, published. */
  private async complete(session: ActiveUpload, digest: ParsedDigest, chunk: Chunk | null): Promise<BlobRow> {
    const inMemory = chunk ? this.inMemoryLength(session, chunk) : null;
    if (chunk && inMemory !== null) return this.completeInMemory(session, digest, chunk, inMemory);
    const { uuid } = session;
    const size = chunk ? await this.write(session, chunk, digest.algorithm, true) : await this.syncOrDiscard(session);
    const actual = await this.deps.hashing.digest(uuid, size, digest.algorithm);
    if (actual !== digest.digest) {
      await this.discard(session);
      throw fail('DIGEST_INVALID', 'provided digest did not match uploaded content', { digest: digest.digest });
    }
    try {
      await this.publish(digest, size, session);
    } catch (err) {
      // The final write did not record its size (publish deletes the row); a client that resumes needs it.
      if (session.tracked) await this.deps.uploads.setSize(uuid, size).catch(() => undefined);
      throw err;
    }
    return { digest: digest.digest, size };
  }

  /** The length of a whole small blob in this one request with room left in memory for it, else null. */
  private inMemoryLength(session: ActiveUpload, chunk: Chunk): number | null {
    const length = chunk.contentLength;
    const fits =
      session.size === 0 && !chunk.handOver && length !== null && length <= inMemoryMaxBytes && this.inMemory + length <= this.deps.smallBlobMemoryBytes;
    return fits ? length : null;
  }

  /**
   * The final step for a whole small blob: read, hashed, compared, then
   * written at its place. Nothing is stored before the digest matched, so a
   * body that breaks off leaves the session at 0 bytes, as it was.
   */
  private async completeInMemory(session: ActiveUpload, digest: ParsedDigest, chunk: Chunk, length: number): Promise<BlobRow> {
    await this.checkChunk(session, chunk);
    this.inMemory += length;
    try {
      const digester = new Digester(digest.algorithm);
      const bytes = await readWhole(chunk.body, length, digester);
      if (digester.digest() !== digest.digest) {
        await this.discard(session);
        throw fail('DIGEST_INVALID', 'provided digest did not match uploaded content', { digest: digest.digest });
      }
      await this.publish(digest, length, session, bytes);
      return { digest: digest.digest, size: length };
    } finally {
      this.inMemory -= length;
    }
  }

  /**
   * Refuses a chunk that does not continue the upload at its end, or one
   * announced past the size limit (that upload could never finish, so it goes).
   */
  private async checkChunk(session: ActiveUpload, chunk: Chunk): Promise<ByteRange | null> {
    if (chunk.range === 'invalid') throw rangeInvalid(session, 'malformed Content-Range');
    if (chunk.range) {
      const length = chunk.range.end - chunk.range.start + 1;
      if (chunk.range.start !== session.size || (chunk.contentLength !== null && chunk.contentLength !== length)) {
        throw rangeInvalid(session, `chunk must start at byte ${session.size} and match its Content-Length`);
      }
    }
    const max = this.deps.maxBlobBytes;
    const announcedEnd = chunk.range ? chunk.range.end + 1 : chunk.contentLength !== null ? session.size + chunk.contentLength : 0;
    if (max > 0 && announcedEnd > max) {
      await this.discard(session);
      throw blobTooLarge(max);
    }
    return chunk.range;
  }

  /**
   * Appends one request body at the current end of the upload, telling the
   * upload's hashing what passes and what was stored. Answers the new size.
   * `durable` marks the final PUT's body: fsynced, and its size not recorded
   * in the row, which publish or discard removes right after.
   */
  private async write(session: ActiveUpload, chunk: Chunk, algorithm: DigestAlgorithm, durable: boolean): Promise<number> {
    const { uuid } = session;
    // Refused before a byte is read.
    const range = await this.checkChunk(session, chunk);
    // A long chunk keeps the session fresh for the purge; a row touched moments
    // ago (a session just started) is fresh already.
    if (session.tracked && !session.fresh) await this.deps.uploads.setSize(uuid, session.size);
    const feed = this.deps.hashing.chunk(uuid, session.size, algorithm, chunk.contentLength);
    const { handOver } = chunk;
    const file = handOver ? await handOverTarget(this.deps.storage, uuid, session.size) : null;
    const size =
      handOver && file
        ? await this.receive(session, handOver, file, feed, durable)
        : await this.stream(session, handOver ? handOver.offerBody() : chunk.body, feed, durable);
    feed.done(size);
    const short = range !== null && size - session.size !== range.end - range.start + 1;
    if (session.tracked && (!durable || short)) await this.deps.uploads.setSize(uuid, size);
    if (short) throw rangeInvalid({ ...session, size }, 'chunk length did not match its Content-Range');
    return size;
  }

  /** The chunk's bytes from the request body, appended here; answers the upload's new size. */
  private async stream(session: ActiveUpload, body: Readable, feed: ChunkFeed, durable: boolean): Promise<number> {
    const { uuid } = session;
    const max = this.deps.maxBlobBytes;
    const writer = await this.deps.storage.writer(uploadDataPath(uuid), true, { onWritten: (n) => feed.stored(n) });
    let written = false;
    try {
      await pipeline(observed(body, feed.observer, max > 0 ? max - session.size : 0, () => blobTooLarge(max)), writer);
      written = true;
      if (durable) await writer.commit();
      else await writer.close();
    } catch (err) {
      writer.destroy();
      // A body without a length that grew past the limit: nothing of it can ever be published.
      // Or every byte was written, then the file failed to sync (writeback or fsync): see syncOrDiscard.
      if (written || (err instanceof AppError && err.code === 'SIZE_INVALID')) {
        await this.discard(session);
        throw err;
      }
      // Keep what reached storage so the client can resume from the real offset, and its hash with it.
      await this.keepStored(session, feed, await this.storedSize(uuid));
      throw asUploadError(err);
    }
    return writer.size;
  }

  /** The chunk's bytes written into the upload's file by the proxy; answers the upload's new size. */
  private async receive(session: ActiveUpload, handOver: UploadHandOver, file: LocalFile, feed: ChunkFeed, durable: boolean): Promise<number> {
    const max = this.deps.maxBlobBytes;
    const limit = max > 0 ? max - session.size : null;
    const outcome = await receiveHandedOver({ storage: this.deps.storage, uuid: session.uuid, file, limit, handOver, feed });
    if (outcome.kind === 'over') {
      await this.discard(session);
      throw blobTooLarge(max);
    }
    if (outcome.kind === 'fail' && outcome.reason?.startsWith(syncFailurePrefix)) {
      // The proxy's datasync failed: what the file seems to hold may be lost (see syncOrDiscard).
      await this.discard(session);
      throw new Error(`upload hand-over fail: ${outcome.reason}`);
    }
    if (outcome.kind !== 'end') {
      await this.keepStored(session, feed, outcome.size);
      if (outcome.kind === 'abort') throw bodyEndedEarly();
      // The proxy's trouble (or a broken exchange) is a server fault; the reason goes to the log only.
      throw new Error(`upload hand-over ${outcome.kind}: ${outcome.reason ?? 'no reason given'}`);
    }
    if (durable) await this.syncOrDiscard(session);
    return outcome.size;
  }

  /** After a chunk that failed midway: the upload stands at what storage holds, hash included. */
  private async keepStored(session: ActiveUpload, feed: ChunkFeed, stored: number): Promise<void> {
    feed.done(stored);
    if (session.tracked) await this.deps.uploads.setSize(session.uuid, stored).catch(() => undefined);
  }

  /** Makes the bytes received by earlier requests durable before they are acknowledged as a blob. */
  private async sync(session: UploadSession): Promise<number> {
    const writer = await this.deps.storage.writer(uploadDataPath(session.uuid), true);
    writer.end();
    await writer.commit();
    return writer.size;
  }

  /**
   * A failed fsync may have lost bytes the file seemed to hold, and Linux
   * reports it once: a retried PUT's fsync would succeed and publish them. So
   * an upload whose file failed to sync is gone; the client starts it again.
   */
  private async syncOrDiscard(session: ActiveUpload): Promise<number> {
    try {
      return await this.sync(session);
    } catch (err) {
      await this.discard(session).catch(() => undefined);
      throw err;
    }
  }

  private async storedSize(uuid: string): Promise<number> {
    try {
      return (await this.deps.storage.stat(uploadDataPath(uuid))).size;
    } catch (err) {
      if (err instanceof PathNotFoundError) return 0;
      throw err;
    }
  }

  /**
   * The bytes of one digest are stored once: when another upload got there
   * first, ours are dropped instead of moved (or written, for `bytes` held in
   * memory). The rows follow the bytes, so a crash in between leaves
   * unreferenced bytes for GC, never a row without bytes.
   */
  private async publish(digest: ParsedDigest, size: number, session: ActiveUpload, bytes?: Buffer): Promise<void> {
    const { uuid } = session;
    const { repositoryName } = session;
    const target = blobDataPath(digest);
    const present = await this.deps.storage.stat(target).then(
      (info) => info.size === size,
      () => false,
    );
    // putContent writes beside the target, syncs, renames and syncs the directory: durable before the rows.
    if (bytes) {
      if (!present) await this.deps.storage.putContent(target, bytes);
    } else if (present) await this.deps.storage.delete(uploadDataPath(uuid)).catch(ignoreNotFound);
    else await this.deps.storage.move(uploadDataPath(uuid), target);
    // The upload's file is gone (moved or deleted, or there never was one): its running hash is of no more use,
    // whatever the rows below do.
    this.deps.hashing.forget(uuid);
    const blob = { digest: digest.digest, size };
    const uploadRow = session.tracked ? uuid : null;
    if (session.repositoryId === null) {
      await this.deps.blobs.publish(await this.deps.repositories.ensure(repositoryName), blob, uploadRow);
    } else {
      // The id was read as the request began; a repository deleted since then fails
      // the link's foreign key (nothing is committed), and it is made again.
      await this.deps.blobs
        .publish(session.repositoryId, blob, uploadRow)
        .catch(async () => this.deps.blobs.publish(await this.deps.repositories.ensure(repositoryName), blob, uploadRow));
    }
    // A one-shot POST held in memory never had a directory; a session may have one from an empty earlier chunk.
    if (!bytes || session.tracked) await this.deps.storage.delete(uploadDirectory(uuid)).catch(ignoreNotFound);
  }

  /** Bytes first, then the row: a crash in between leaves a row the purge cleans up. */
  private async discard({ uuid, tracked }: Pick<ActiveUpload, 'uuid' | 'tracked'>): Promise<void> {
    this.deps.hashing.forget(uuid);
    await this.deps.storage.delete(uploadDirectory(uuid)).catch(ignoreNotFound);
    if (tracked) await this.deps.uploads.delete(uuid);
  }
}

/** Exactly `length` bytes of the body (its Content-Length, which Node's parser holds it to), hashed as they come. */
async function readWhole(body: Readable, length: number, digester: Digester): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (at + chunk.length > length) throw bodyEndedEarly();
      chunk.copy(bytes, at);
      at += chunk.length;
      digester.update(chunk);
    }
  } catch (err) {
    throw err instanceof AppError ? err : asUploadError(err);
  }
  if (at !== length) throw bodyEndedEarly();
  return bytes;
}

function rangeInvalid(session: UploadSession, message: string): AppError {
  return new AppError('RANGE_INVALID', message, undefined, {
    headers: {
      Range: uploadRange(session.size),
      Location: `/v2/${session.repositoryName}/blobs/uploads/${session.uuid}`,
      'Docker-Upload-UUID': session.uuid,
    },
  });
}

/** SIZE_INVALID as 413, closing the connection: the rest of an oversized body is not worth reading. */
function blobTooLarge(max: number): AppError {
  return new AppError('SIZE_INVALID', `blob exceeds the ${max}-byte limit`, { limit: max }, {
    status: 413,
    headers: { Connection: 'close' },
  });
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof PathNotFoundError)) throw err;
}

function notFoundAsEmpty(err: unknown): string[] {
  if (err instanceof PathNotFoundError) return [];
  throw err;
}
