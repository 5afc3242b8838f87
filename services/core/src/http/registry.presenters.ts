import type { AccessoryView, ArtifactView } from '../controllers/artifact.controller';
import type { AuditRecord } from '../dao/audit-log.dao';
import type { TagRecord } from '../dao/artifact.dao';
import type { RepositoryRecord } from '../dao/repository.dao';
import { encodeRepositoryPath } from '../domain/repository-path';

/** What Harbor (Go's zero time) reports for "never". */
const never = '0001-01-01T00:00:00.000Z';

/** Harbor's `Repository`. */
export function repositoryResp(r: RepositoryRecord): Record<string, unknown> {
  return {
    id: r.repositoryId,
    project_id: r.projectId,
    name: r.name,
    description: r.description,
    artifact_count: r.artifactCount,
    pull_count: r.pullCount,
    creation_time: r.creationTime.toISOString(),
    update_time: r.updateTime.toISOString(),
  };
}

/** Harbor's `Tag`. Per-tag pull times are not tracked: they read as never. */
export function tagResp(tag: TagRecord, artifactId: number): Record<string, unknown> {
  return {
    id: tag.id,
    repository_id: tag.repositoryId,
    artifact_id: artifactId,
    name: tag.name,
    push_time: tag.updateTime.toISOString(),
    pull_time: never,
    immutable: false,
  };
}

function accessoryResp(a: AccessoryView): Record<string, unknown> {
  return {
    id: a.id,
    artifact_id: a.id,
    subject_artifact_id: a.subjectId,
    subject_artifact_digest: a.subjectDigest,
    subject_artifact_repo: a.repositoryName,
    size: a.size,
    digest: a.digest,
    type: a.type,
    icon: '',
    creation_time: a.creationTime.toISOString(),
  };
}

/** Harbor's `Artifact`; scan, SBOM and label features do not exist here, so they are empty. */
export function artifactResp(a: ArtifactView, projectName: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: a.id,
    type: a.type,
    media_type: a.mediaType,
    manifest_media_type: a.manifestMediaType,
    artifact_type: a.artifactType ?? '',
    project_id: a.projectId,
    repository_id: a.repositoryId,
    repository_name: a.repositoryName,
    digest: a.digest,
    size: a.size,
    icon: '',
    push_time: a.pushTime.toISOString(),
    pull_time: a.pullTime ? a.pullTime.toISOString() : never,
    extra_attrs: a.extraAttrs,
    annotations: a.annotations,
    references: a.references.map((r) => {
      const ref: Record<string, unknown> = { parent_id: r.parentId, child_digest: r.childDigest };
      if (r.childId !== null) ref.child_id = r.childId;
      if (r.platform) ref.platform = r.platform;
      if (r.annotations) ref.annotations = r.annotations;
      if (r.urls) ref.urls = r.urls;
      return ref;
    }),
    labels: [],
  };
  if (a.tags) body.tags = a.tags.map((t) => tagResp(t, a.id));
  if (a.accessories) body.accessories = a.accessories.map(accessoryResp);
  if (a.type === 'IMAGE' && a.references.length === 0) {
    const path = `/api/v2.0/projects/${encodeURIComponent(projectName)}/repositories/${encodeRepositoryPath(a.repositoryName)}/artifacts/${a.digest}/additions`;
    body.addition_links = { build_history: { href: `${path}/build_history`, absolute: false } };
  }
  return body;
}

/** Harbor's `AuditLog`. */
export function auditLogResp(r: AuditRecord): Record<string, unknown> {
  return {
    id: r.id,
    username: r.username,
    resource: r.resource,
    resource_type: r.resourceType,
    operation: r.operation,
    op_time: r.opTime.toISOString(),
  };
}
