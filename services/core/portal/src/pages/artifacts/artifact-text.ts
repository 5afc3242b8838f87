import { Artifact, isIndex } from '../../api/artifact.api';
import type { Translate } from '../../i18n/i18n';

/** What an artifact's type reads as: an index as such, else Harbor's type, else what the manifest calls itself. */
export function artifactTypeText(artifact: Artifact, t: Translate): string {
  if (isIndex(artifact)) return t('artifacts.type.index');
  if (artifact.type && artifact.type !== 'UNKNOWN') return artifact.type;
  return artifact.artifact_type || artifact.media_type;
}
