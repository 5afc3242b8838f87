import type { DigestAlgorithm } from '@harbor/oci';
import type { ChunkObserver } from './streams';

/**
 * How an upload's running hash is kept while its bytes arrive, so the final
 * PUT need not read them all back. Two ways, chosen by the storage driver:
 * hashing the bytes in the stream as they pass (any driver), or hashing the
 * upload's file on another thread as it grows (a local filesystem driver:
 * the request's thread only moves bytes, and bytes another process wrote —
 * the proxy's upload hand-over — are hashed the same way).
 */
export interface UploadHashing {
  /**
   * Called as one request's bytes are about to be appended to an upload that
   * has `offset` bytes stored (`announced`: the request's length, when
   * known). The answer says what to tell the hashing while they flow.
   */
  chunk(uuid: string, offset: number, algorithm: DigestAlgorithm, announced?: number | null): ChunkFeed;
  /** The digest of the upload's first `size` bytes (as stored), hashing whatever was not hashed yet. */
  digest(uuid: string, size: number, algorithm: DigestAlgorithm): Promise<string>;
  /** Drops what is kept for an upload (published, cancelled or purged). */
  forget(uuid: string): void;
}

/** What one request's bytes feed while they are written. */
export interface ChunkFeed {
  /** Shown every byte as it passes towards storage, when hashing in the stream. */
  readonly observer?: ChunkObserver;
  /** The upload's stored bytes now reach `size` (they are in storage, readable). */
  stored(size: number): void;
  /** The request's bytes are done; the upload has `size` bytes stored. */
  done(size: number): void;
  /** Set where the hashing can take the proxy's word for a handed-over chunk's digest instead of reading it. */
  readonly vouching?: Vouching;
}

/**
 * The proxy's word for the digest of a handed-over chunk (`upload-offload`
 * in @harbor/http): the proxy hashed the bytes it wrote, on top of its own
 * earlier hand-overs of the same upload, and says so in its final report.
 * Only the proxy can send one (the hand-over carries the internal secret),
 * and it stands only for the exact size the file then has.
 */
export interface Vouching {
  /** The digest to ask for. */
  readonly algorithm: DigestAlgorithm;
  /** The proxy said it will vouch: until the chunk is done, the hashing reads none of it. */
  expect(): void;
  /** The proxy vouched for the upload's first `size` bytes, the file's size as checked. */
  vouch(size: number, digest: string): void;
}
