import { request } from './http';
import type { AuditLog } from './audit-log.api';
import { listParams, qValue, Page, pageOf, PageQuery } from './page';

export type { AuditLog } from './audit-log.api';

/** The operations audit entries record. */
export const auditOperations = ['create', 'update', 'delete', 'push', 'pull'] as const;

/** What the audit list may be narrowed to: username and resource by part, the operation exactly. */
export interface AuditFilter {
  username?: string;
  operation?: string;
  resource?: string;
}

/** The filters the audit log page offers, each a URL parameter of its own there. */
export const auditFilterKeys = ['username', 'operation', 'resource'] as const;

/** Harbor's `q` for audit logs: `username=~alice,operation=create`; undefined when nothing is set. */
export function auditQuery(filter: AuditFilter): string | undefined {
  const terms = auditFilterKeys.flatMap((key) => {
    const value = qValue(filter[key]);
    if (value === undefined) return [];
    return [key === 'operation' ? `${key}=${value}` : `${key}=~${value}`];
  });
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** One page of the system-wide audit log, newest first. */
export async function listAuditLogs(query: PageQuery & AuditFilter): Promise<Page<AuditLog>> {
  return pageOf<AuditLog>(await request(`/api/v2.0/audit-logs?${listParams(query, { q: auditQuery(query), sort: '-op_time' })}`));
}
