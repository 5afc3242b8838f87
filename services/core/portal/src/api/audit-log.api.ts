import { request } from './http';
import { fuzzyQ, listParams, pageOf, type Page, type PageQuery } from './page';

/** Harbor's `AuditLog`. */
export interface AuditLog {
  id: number;
  username: string;
  resource: string;
  resource_type: string;
  operation: string;
  op_time: string;
}

/** The text fields Harbor's audit `q` filters on. */
export const auditFields = ['operation', 'resource', 'resource_type', 'username'] as const;
export type AuditField = (typeof auditFields)[number];

export function isAuditField(value: string | null | undefined): value is AuditField {
  return (auditFields as readonly (string | null | undefined)[]).includes(value);
}

export type AuditFilter = Partial<Record<AuditField, string>>;

export interface AuditQuery extends PageQuery {
  filter?: AuditFilter;
}

/**
 * Harbor's audit `q`: fuzzy terms joined by commas (`operation=~create,username=~adm`).
 * Each value is cut to one term by qValue (a comma would split it).
 */
export function auditQ(filter: AuditFilter = {}): string | undefined {
  const terms = auditFields.flatMap((field) => fuzzyQ(field, filter[field]) ?? []);
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** One page of a project's audit log, newest first. */
export async function listProjectLogs(projectName: string, query: AuditQuery): Promise<Page<AuditLog>> {
  const params = listParams(query, { q: auditQ(query.filter), sort: '-op_time' });
  return pageOf<AuditLog>(await request(`/api/v2.0/projects/${encodeURIComponent(projectName)}/logs?${params}`));
}
