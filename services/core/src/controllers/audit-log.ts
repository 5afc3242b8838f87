import type { Logger } from '@harbor/logging';
import type { AuditEntry, AuditLogDao } from '../dao/audit-log.dao';
import type { Caller } from '../domain/caller';
import { robotLoginName } from '../domain/robot';

/** The name an audit entry shows for a caller: the username, a robot's login name, or `anonymous`. */
export function operatorOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.user.username;
  if (caller.kind === 'robot') return robotLoginName(caller.robot);
  return 'anonymous';
}

/**
 * Records audit entries. Controllers call it after a change succeeded; a
 * failure to record is logged and never undoes or fails the change itself.
 */
export class AuditLog {
  constructor(
    private readonly dao: AuditLogDao,
    private readonly logger: Logger,
  ) {}

  async record(...entries: AuditEntry[]): Promise<void> {
    try {
      await this.dao.insert(entries);
    } catch (err) {
      this.logger.error(`audit log: could not record ${entries.map((e) => `${e.operation} ${e.resourceType} ${e.resource}`).join('; ')}: ${String(err)}`);
    }
  }
}
