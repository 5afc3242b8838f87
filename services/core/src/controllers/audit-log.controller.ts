import type { AuditFilter, AuditLogDao } from '../dao/audit-log.dao';
import type { Page } from '../dao/user.dao';
import type { Caller } from '../domain/caller';
import { requireUser } from './guards';
import type { ProjectAccess } from './project-access';

export type AuditQuery = Omit<AuditFilter, 'scope'>;

/** Reading the audit log: system admins see everything, members their projects' entries. */
export class AuditLogController {
  constructor(
    private readonly dao: AuditLogDao,
    private readonly access: ProjectAccess,
  ) {}

  async list(caller: Caller, query: AuditQuery, page: Page) {
    const user = requireUser(caller);
    return this.dao.list({ ...query, scope: user.sysadmin ? { kind: 'all' } : { kind: 'memberOf', userId: user.userId } }, page);
  }

  /** Harbor lets project members below limited guest read their project's log; `member:list` is exactly that set. */
  async listProject(caller: Caller, projectName: string, query: AuditQuery, page: Page) {
    const { project } = await this.access.require(caller, { name: projectName }, 'member:list');
    return this.dao.list({ ...query, scope: { kind: 'project', projectId: project.projectId } }, page);
  }
}
