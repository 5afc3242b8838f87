import { AppError, fail } from '@harbor/errors';
import { AcceptedTypes, accepts, digestOf, isTag, looksLikeDigest, mediaTypes, parseDigest, parseManifest, ParsedDigest } from '@harbor/oci';
import type { BlobDao } from '../dao/blob.dao';
import type { ManifestDao, ManifestRow } from '../dao/manifest.dao';
import type { TagDao } from '../dao/tag.dao';
import type { Repositories } from './repositories.service';

export type Reference = { kind: 'digest'; digest: ParsedDigest } | { kind: 'tag'; tag: string };

export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
  tag: string | null;
  subject: string | null;
}

/**
 * A manifest reference from the URL. Digest-shaped references must be valid
 * digests (DIGEST_INVALID); anything else must be a valid tag.
 */
export function parseReference(reference: string): Reference | null {
  if (looksLikeDigest(reference)) {
    const digest = parseDigest(reference);
    if (!digest) throw fail('DIGEST_INVALID', 'invalid or unsupported digest', { digest: reference });
    return { kind: 'digest', digest };
  }
  return isTag(reference) ? { kind: 'tag', tag: reference } : null;
}

export class Manifests {
  constructor(
    private readonly manifests: ManifestDao,
    private readonly tags: TagDao,
    private readonly blobs: BlobDao,
    private readonly repositories: Repositories,
  ) {}

  /**
   * The manifest a GET/HEAD answers, negotiated against the client's Accept
   * the way CNCF Distribution does, minus its schema 1 rewriting:
   * - the stored media type, when the client accepts it (no Accept, or a
   *   wildcard, accepts anything: curl and scripts get what was pushed);
   * - a Docker manifest list asked for by tag by a client that does not
   *   accept lists: its linux/amd64 image, if that is in the repository and
   *   acceptable (old Docker clients pulling a multi-arch tag);
   * - otherwise MANIFEST_UNKNOWN saying which type was found: there is no
   *   conversion between formats, as the digest would change.
   */
  async get(name: string, reference: string, withContent: boolean, accepted?: AcceptedTypes): Promise<ManifestRow> {
    const ref = parseReference(reference);
    const found = !ref
      ? undefined
      : ref.kind === 'digest'
        ? await this.manifests.findByDigest(name, ref.digest.digest, withContent)
        : await this.manifests.findByTag(name, ref.tag, withContent);
    if (!found) return this.repositories.notFound(name, () => manifestUnknown(reference));
    if (!accepted || accepts(accepted, found.mediaType)) return found;
    if (ref?.kind === 'tag' && found.mediaType === mediaTypes.dockerManifestList) {
      const image = await this.defaultPlatformImage(name, found, withContent);
      if (image && accepts(accepted, image.mediaType)) return image;
    }
    throw fail('MANIFEST_UNKNOWN', `${found.mediaType} manifest found, but the Accept header does not allow it`, { reference });
  }

  /** The linux/amd64 entry of a manifest list, as Distribution picks it for clients that cannot read lists. */
  private async defaultPlatformImage(name: string, list: ManifestRow, withContent: boolean): Promise<ManifestRow | undefined> {
    const content = list.content ?? (await this.manifests.findByDigest(name, list.digest, true))?.content;
    if (!content) return undefined;
    const parsed = parseManifest(content, list.mediaType);
    if (!parsed.ok) return undefined;
    const entry = parsed.manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64');
    return entry && this.manifests.findByDigest(name, entry.digest, withContent);
  }

  /**
   * Validates and stores a pushed manifest. The digest is computed over the
   * exact bytes received (in the algorithm of a digest reference, sha256
   * otherwise); everything it references must already be in this repository.
   */
  async put(name: string, reference: string, content: Buffer, contentType: string | undefined): Promise<StoredManifest> {
    const ref = parseReference(reference);
    if (!ref) throw fail('MANIFEST_INVALID', 'invalid tag: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}', { tag: reference });
    const digest = digestOf(content, ref.kind === 'digest' ? ref.digest.algorithm : 'sha256');
    if (ref.kind === 'digest' && ref.digest.digest !== digest) {
      throw fail('DIGEST_INVALID', 'manifest digest did not match the reference', { digest: ref.digest.digest });
    }
    const parsed = parseManifest(content, contentType);
    if (!parsed.ok) throw fail('MANIFEST_INVALID', parsed.reason);
    const manifest = parsed.manifest;

    const repositoryId = await this.repositories.ensure(name);
    const blobDigests = manifest.blobs.map((b) => b.digest);
    const linked = await this.blobs.linkedAmong(repositoryId, blobDigests);
    const missingBlob = blobDigests.find((d) => !linked.has(d));
    if (missingBlob) throw referenceUnknown(missingBlob, 'blob');
    const childDigests = manifest.manifests.map((m) => m.digest);
    const present = await this.manifests.presentAmong(repositoryId, childDigests);
    const missingChild = childDigests.find((d) => !present.has(d));
    if (missingChild) throw referenceUnknown(missingChild, 'manifest');

    const tag = ref.kind === 'tag' ? ref.tag : null;
    await this.manifests.save({
      repositoryId,
      digest,
      mediaType: manifest.mediaType,
      content,
      subjectDigest: manifest.subject?.digest ?? null,
      artifactType: manifest.artifactType,
      references: [
        ...blobDigests.map((d) => ({ digest: d, kind: 'blob' as const })),
        ...childDigests.map((d) => ({ digest: d, kind: 'manifest' as const })),
      ],
      tag,
    });
    return { digest, mediaType: manifest.mediaType, size: content.length, tag, subject: manifest.subject?.digest ?? null };
  }

  /**
   * By digest: the manifest and every tag naming it. By tag: only the tag, as
   * OCI 1.1 allows. Answers what was deleted, for the event.
   */
  async delete(name: string, reference: string): Promise<StoredManifest> {
    const ref = parseReference(reference);
    const repository = await this.repositories.require(name);
    if (!ref) throw manifestUnknown(reference);
    if (ref.kind === 'tag') {
      const digest = await this.tags.delete(repository.repositoryId, ref.tag);
      if (!digest) throw manifestUnknown(reference);
      const manifest = await this.manifests.findByDigest(name, digest, false);
      return { digest, mediaType: manifest?.mediaType ?? '', size: manifest?.size ?? 0, tag: ref.tag, subject: null };
    }
    const manifest = await this.manifests.findByDigest(name, ref.digest.digest, false);
    if (!manifest || !(await this.manifests.deleteByDigest(repository.repositoryId, ref.digest.digest))) {
      throw manifestUnknown(reference);
    }
    return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size, tag: null, subject: manifest.subjectDigest };
  }
}

function manifestUnknown(reference: string): AppError {
  return fail('MANIFEST_UNKNOWN', 'manifest unknown to registry', { reference });
}

function referenceUnknown(digest: string, kind: 'blob' | 'manifest'): AppError {
  return fail('MANIFEST_BLOB_UNKNOWN', `manifest references a ${kind} this repository does not have`, { digest });
}
