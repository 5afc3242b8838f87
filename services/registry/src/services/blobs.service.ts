import type { Readable } from 'node:stream';
import type { ResourceActions } from '@harbor/auth';
import { allows } from '@harbor/auth';
import { fail } from '@harbor/errors';
import { isRepositoryName, ParsedDigest } from '@harbor/oci';
import type { BlobDao, BlobRow } from '../dao/blob.dao';
import { blobDataPath } from '../storage/layout';
import { LocalFile, PathNotFoundError, StorageDriver } from '../storage/storage-driver';
import type { Repositories } from './repositories.service';

/** Reading, unlinking and mounting blobs; every read goes through the repository's own link. */
export class Blobs {
  constructor(
    private readonly blobs: BlobDao,
    private readonly repositories: Repositories,
    private readonly storage: StorageDriver,
  ) {}

  async stat(name: string, digest: ParsedDigest): Promise<BlobRow> {
    const blob = await this.blobs.findLinked(name, digest.digest);
    if (blob) return blob;
    return this.repositories.notFound(name, () => blobUnknown(digest));
  }

  /** The bytes from `start` for `length`; BLOB_UNKNOWN if the store lost them. */
  async open(digest: ParsedDigest, start = 0, length?: number): Promise<Readable> {
    try {
      return await this.storage.reader(blobDataPath(digest), start, length);
    } catch (err) {
      if (err instanceof PathNotFoundError) throw blobUnknown(digest);
      throw err;
    }
  }

  /** The blob's plain file under the storage root, if the driver has one; BLOB_UNKNOWN if the store lost it. */
  async localFile(digest: ParsedDigest): Promise<LocalFile | null> {
    try {
      return await this.storage.localFile(blobDataPath(digest));
    } catch (err) {
      if (err instanceof PathNotFoundError) throw blobUnknown(digest);
      throw err;
    }
  }

  /** A URL the client may fetch the bytes from instead (s3 redirect), or null. */
  redirectUrl(digest: ParsedDigest): Promise<string | null> {
    return this.storage.redirectUrl(blobDataPath(digest));
  }

  /** Removes the repository's link; the bytes stay until garbage collection finds them unreferenced. */
  async delete(name: string, digest: ParsedDigest): Promise<void> {
    if (await this.blobs.unlink(name, digest.digest)) return;
    await this.repositories.notFound(name, () => blobUnknown(digest));
  }

  /**
   * Cross-repository mount: links the blob into `name` when the caller may
   * pull `from` and `from` has it. False means "do a normal upload instead".
   */
  async mount(name: string, digest: ParsedDigest, from: string, access: ResourceActions[]): Promise<BlobRow | null> {
    if (!isRepositoryName(from) || !allows(access, 'repository', from, 'pull')) return null;
    const blob = await this.blobs.findLinked(from, digest.digest);
    if (!blob) return null;
    const repositoryId = await this.repositories.ensure(name);
    await this.blobs.link(repositoryId, digest.digest);
    return blob;
  }
}

export function blobUnknown(digest: ParsedDigest) {
  return fail('BLOB_UNKNOWN', 'blob unknown to registry', { digest: digest.digest });
}
