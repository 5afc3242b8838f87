import type { ParsedDigest } from '@harbor/oci';

/**
 * The whole storage layout, for every driver (the same tree under a
 * filesystem root directory or an S3 bucket prefix):
 *
 *   /blobs/<algorithm>/<first two hex>/<hex>/data   verified blob bytes, one copy per digest
 *                                                   across all repositories (which blob a
 *                                                   repository may see is in the database)
 *   /uploads/<uuid>/data                            bytes of an upload in progress; moved to
 *                                                   /blobs once its digest is verified,
 *                                                   deleted on cancel or by the purge
 *
 * (The filesystem driver also keeps `/.tmp` for its own unfinished writes;
 * listings hide it.)
 *
 * Manifests are not stored here: they are small and live in the `manifest`
 * table, so a manifest GET is one query and no storage round trip. Anything
 * under /uploads without a `blob_upload` row, and any blob without a `blob`
 * row, is garbage the collector may remove.
 */
export const blobsRoot = '/blobs';
export const uploadsRoot = '/uploads';

export function blobDataPath(digest: ParsedDigest): string {
  return `${blobsRoot}/${digest.algorithm}/${digest.encoded.slice(0, 2)}/${digest.encoded}/data`;
}

export function uploadDirectory(uuid: string): string {
  return `${uploadsRoot}/${uuid}`;
}

export function uploadDataPath(uuid: string): string {
  return `${uploadDirectory(uuid)}/data`;
}
