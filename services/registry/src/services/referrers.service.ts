import { Descriptor, mediaTypes, ParsedDigest } from '@harbor/oci';
import type { ManifestDao, ReferrerRow } from '../dao/manifest.dao';

/** The image index the referrers API answers. */
export interface ReferrersIndex {
  schemaVersion: 2;
  mediaType: typeof mediaTypes.ociIndex;
  manifests: Descriptor[];
}

/**
 * `GET /v2/<name>/referrers/<digest>`: the manifests of this repository whose
 * `subject` is the digest, whether or not the subject itself is (still)
 * there — a referrer is listed exactly as long as it exists.
 */
export class Referrers {
  constructor(private readonly manifests: ManifestDao) {}

  async list(name: string, subject: ParsedDigest, artifactType?: string): Promise<ReferrersIndex> {
    const rows = await this.manifests.referrers(name, subject.digest, artifactType);
    return { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: rows.map(descriptorOf) };
  }
}

function descriptorOf(row: ReferrerRow): Descriptor {
  const descriptor: Descriptor = { mediaType: row.mediaType, digest: row.digest, size: row.size };
  if (row.artifactType) descriptor.artifactType = row.artifactType;
  const annotations = annotationsOf(row.content);
  if (annotations) descriptor.annotations = annotations;
  return descriptor;
}

/** The manifest's own top-level annotations; the bytes were validated at push, so a failure here just means none. */
function annotationsOf(content: Buffer): Record<string, string> | undefined {
  try {
    const value = (JSON.parse(content.toString('utf8')) as { annotations?: unknown }).annotations;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  } catch {
    return undefined;
  }
}
