import type { Db } from '@harbor/db';
import { Role } from '../domain/role';
import { escapeLike } from './like';
import { isMemberOf } from './project.dao';
import type { Page } from './user.dao';

export interface AuditEntry {
  /** 0 when the entry is about no project. */
  projectId: number;
  operation: string;
  resourceType: string;
  resource: string;
  username: string;
  /** When it happened, if not now: entries made from registry events carry the event's own time, so they sort where the change was made, not where its batch arrived. */
  opTime?: Date;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  opTime: Date;
}

export interface TextMatch {
  value: string;
  fuzzy: boolean;
}

/** Whose entries a listing may show: all, one project's, or those of the projects a user is a member of. */
export type AuditScope = { kind: 'all' } | { kind: 'project'; projectId: number } | { kind: 'memberOf'; userId: number };

export interface AuditFilter {
  scope: AuditScope;
  operation?: TextMatch;
  resourceType?: TextMatch;
  resource?: TextMatch;
  username?: TextMatch;
  from?: Date;
  to?: Date;
  /** Newest first unless false. */
  descending?: boolean;
}

type TextColumn = 'operation' | 'resource_type' | 'resource' | 'username';

/** The `audit_log` table (core writes it). */
export class AuditLogDao {
  constructor(private readonly db: Db) {}

  async insert(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('audit_log')
      .values(
        entries.map((e) => ({
          project_id: e.projectId,
          operation: e.operation.slice(0, 32),
          resource_type: e.resourceType.slice(0, 64),
          resource: e.resource.slice(0, 1024),
          username: e.username.slice(0, 255),
          // Rows without a time of their own take the database's CURRENT_TIMESTAMP(3) (Kysely writes DEFAULT for a missing column).
          ...(e.opTime ? { op_time: e.opTime } : {}),
        })),
      )
      .execute();
  }

  async list(filter: AuditFilter, page: Page): Promise<{ total: number; items: AuditRecord[] }> {
    let query = this.db.selectFrom('audit_log as a');
    const scope = filter.scope;
    if (scope.kind === 'project') query = query.where('a.project_id', '=', scope.projectId);
    if (scope.kind === 'memberOf') {
      // Limited guests see no logs in Harbor; every other role does, held directly or through a group.
      const userId = scope.userId;
      query = query.where('a.project_id', 'in', (eb) =>
        eb.selectFrom('project as p').select('p.project_id').where((pe) => isMemberOf(pe, userId, { excludeRole: Role.limitedGuest })),
      );
    }
    const text: Array<[TextColumn, TextMatch | undefined]> = [
      ['operation', filter.operation],
      ['resource_type', filter.resourceType],
      ['resource', filter.resource],
      ['username', filter.username],
    ];
    for (const [column, match] of text) {
      if (!match) continue;
      query = match.fuzzy ? query.where(`a.${column}`, 'like', `%${escapeLike(match.value)}%`) : query.where(`a.${column}`, '=', match.value);
    }
    if (filter.from) query = query.where('a.op_time', '>=', filter.from);
    if (filter.to) query = query.where('a.op_time', '<=', filter.to);

    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const direction = filter.descending === false ? 'asc' : 'desc';
    const rows = await query
      .selectAll('a')
      .orderBy('a.op_time', direction)
      .orderBy('a.id', direction)
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      total: Number(counted.total),
      items: rows.map((r) => ({
        id: Number(r.id),
        projectId: r.project_id,
        operation: r.operation,
        resourceType: r.resource_type,
        resource: r.resource,
        username: r.username,
        opTime: r.op_time,
      })),
    };
  }
}
