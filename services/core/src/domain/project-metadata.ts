/**
 * Harbor's project metadata: string pairs with a fixed set of names. The
 * flags are "true"/"false" (any case in, lower case out); `severity` is one
 * of the vulnerability severities. Used by project create/update (which drop
 * names they do not know, as Harbor's decoder does) and by the
 * `/projects/{p}/metadatas` API (which refuses them, as Harbor does).
 */

const booleanNames = ['public', 'auto_scan', 'prevent_vul', 'enable_content_trust', 'enable_content_trust_cosign', 'reuse_sys_cve_allowlist', 'auto_sbom_generation'];
const severities = ['none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical'];

export const projectMetadataNames: readonly string[] = [...booleanNames, 'severity'];

export function isProjectMetadataName(name: string): boolean {
  return projectMetadataNames.includes(name);
}

/** The value as stored, or why it cannot be; the name must be a known one. */
export function projectMetadataValue(name: string, value: string): { value: string } | { problem: string } {
  const lower = value.toLowerCase();
  if (booleanNames.includes(name)) {
    return lower === 'true' || lower === 'false' ? { value: lower } : { problem: `metadata.${name} must be "true" or "false"` };
  }
  if (name === 'severity') return severities.includes(lower) ? { value: lower } : { problem: `metadata.severity must be one of ${severities.join(', ')}` };
  return { problem: `${name} is not a project metadata name (known: ${projectMetadataNames.join(', ')})` };
}
