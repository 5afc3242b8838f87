/**
 * Harbor's artifact types, told apart by what the manifest says about itself:
 * images (and indexes of images) by their config media type, Helm charts and
 * CNAB bundles by theirs, everything else an OCI artifact of unknown kind.
 */
export type ArtifactType = 'IMAGE' | 'CHART' | 'CNAB' | 'UNKNOWN';

export const helmConfigMediaType = 'application/vnd.cncf.helm.config.v1+json';
export const cnabConfigMediaType = 'application/vnd.cnab.config.v1+json';
const imageConfigTypes = ['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'];
const indexTypes = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
/** CNAB bundles are OCI indexes carrying this annotation (cnab-to-oci). */
const cnabIndexAnnotation = 'io.cnab.runtime_version';

export interface ManifestFacts {
  manifestMediaType: string;
  /** The config descriptor's media type; null for an index. */
  configMediaType: string | null;
  /** OCI 1.1 `artifactType`, when the manifest sets one. */
  artifactType: string | null;
  annotations: Record<string, string>;
}

export function isIndexMediaType(mediaType: string): boolean {
  return indexTypes.includes(mediaType);
}

export function artifactTypeOf(facts: ManifestFacts): ArtifactType {
  if (isIndexMediaType(facts.manifestMediaType)) {
    if (facts.annotations[cnabIndexAnnotation] !== undefined) return 'CNAB';
    // An index with its own artifactType is an artifact index, not a multi-platform image.
    return facts.artifactType ? 'UNKNOWN' : 'IMAGE';
  }
  if (facts.configMediaType === helmConfigMediaType) return 'CHART';
  if (facts.configMediaType === cnabConfigMediaType) return 'CNAB';
  if (facts.configMediaType !== null && imageConfigTypes.includes(facts.configMediaType) && !facts.artifactType) return 'IMAGE';
  return 'UNKNOWN';
}
