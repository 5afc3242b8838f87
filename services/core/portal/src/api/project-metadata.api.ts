import { request } from './http';
import type { ProjectMetadataValues } from './project.api';

/** Severities a project may block from (Harbor's `severity` values, most severe first). */
export const severities = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof severities)[number];

/** A project's settings as the configuration form edits them. */
export interface ProjectPolicies {
  public: boolean;
  enableContentTrust: boolean;
  preventVul: boolean;
  severity: Severity;
  autoScan: boolean;
  reuseSysCveAllowlist: boolean;
}

const flag = (value: string | undefined) => value === 'true';

/** Reads Harbor's string metadata; a key never set reads as off (severity as `low`, Harbor's default). */
export function policiesOf(metadata: ProjectMetadataValues): ProjectPolicies {
  const severity = (severities as readonly string[]).includes(metadata.severity ?? '') ? (metadata.severity as Severity) : 'low';
  return {
    public: flag(metadata.public),
    enableContentTrust: flag(metadata.enable_content_trust),
    preventVul: flag(metadata.prevent_vul),
    severity,
    autoScan: flag(metadata.auto_scan),
    reuseSysCveAllowlist: flag(metadata.reuse_sys_cve_allowlist),
  };
}

/** The settings as Harbor's `ProjectMetadata` strings. */
export function metadataOf(policies: ProjectPolicies): Required<Omit<ProjectMetadataValues, 'enable_content_trust_cosign'>> {
  return {
    public: String(policies.public),
    enable_content_trust: String(policies.enableContentTrust),
    prevent_vul: String(policies.preventVul),
    severity: policies.severity,
    auto_scan: String(policies.autoScan),
    reuse_sys_cve_allowlist: String(policies.reuseSysCveAllowlist),
  };
}

/** Saves the settings with `PUT /projects/{id}` (Harbor's `ProjectReq` with only `metadata`): needs the project's update permission. */
export async function saveProjectPolicies(projectId: number, policies: ProjectPolicies): Promise<void> {
  await request(`/api/v2.0/projects/${projectId}`, { method: 'PUT', json: { metadata: metadataOf(policies) } });
}
