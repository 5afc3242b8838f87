/** The media types a registry has to tell apart. */
export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  /** What blobs are served as: the registry does not know a blob's type. */
  octetStream: 'application/octet-stream',
} as const;

/** Manifest types this registry stores: image manifests and the lists/indexes of them. */
export const imageManifestTypes: readonly string[] = [mediaTypes.ociManifest, mediaTypes.dockerManifest];
export const indexManifestTypes: readonly string[] = [mediaTypes.ociIndex, mediaTypes.dockerManifestList];
export const supportedManifestTypes: readonly string[] = [...imageManifestTypes, ...indexManifestTypes];
export const schema1ManifestTypes: readonly string[] = [mediaTypes.dockerSchema1, mediaTypes.dockerSchema1Signed];

export function isIndexType(mediaType: string): boolean {
  return indexManifestTypes.includes(mediaType);
}

/**
 * Layers that may live outside the registry (Windows base layers): a manifest
 * may name them with `urls` without the registry holding their bytes.
 */
export const nonDistributableLayerTypes: readonly string[] = [
  mediaTypes.dockerForeignLayerGzip,
  'application/vnd.docker.image.rootfs.foreign.diff.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
];
