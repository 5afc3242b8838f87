import { AppError } from '@harbor/errors';
import { isDuplicateKey } from '@harbor/db';
import type { Caller } from '../domain/caller';
import { isRoleId } from '../domain/role';
import type { MemberDao, MemberRecord } from '../dao/member.dao';
import type { Page, UserDao } from '../dao/user.dao';
import { type AuditLog, operatorOf } from './audit-log';
import type { ProjectAccess, ProjectRef } from './project-access';
import type { UserGroupController, UserGroupInput } from './user-group.controller';

export interface MemberCreation {
  roleId: number;
  memberUser?: { userId?: number; username?: string };
  memberGroup?: UserGroupInput | null;
}

/** Project members: who holds which role. Project admins (and system admins) manage them. */
export class MemberController {
  constructor(
    private readonly members: MemberDao,
    private readonly users: UserDao,
    private readonly access: ProjectAccess,
    private readonly groups: UserGroupController,
    private readonly audit?: AuditLog,
  ) {}

  async list(caller: Caller, ref: ProjectRef, entityName: string | undefined, page: Page): Promise<{ total: number; members: MemberRecord[] }> {
    const { project } = await this.access.require(caller, ref, 'member:list');
    return this.members.list(project.projectId, entityName, page);
  }

  async get(caller: Caller, ref: ProjectRef, memberId: number): Promise<MemberRecord> {
    const { project } = await this.access.require(caller, ref, 'member:read');
    return this.mustExist(project.projectId, memberId);
  }

  async create(caller: Caller, ref: ProjectRef, input: MemberCreation): Promise<{ projectId: number; memberId: number }> {
    const created = await this.add(caller, ref, input);
    const member = await this.members.findById(created.projectId, created.memberId);
    await this.audit?.record({ projectId: created.projectId, operation: 'create', resourceType: 'member', resource: member?.entityName ?? String(created.memberId), username: operatorOf(caller) });
    return created;
  }

  private async add(caller: Caller, ref: ProjectRef, input: MemberCreation): Promise<{ projectId: number; memberId: number }> {
    const { project } = await this.access.require(caller, ref, 'member:create');
    if (!isRoleId(input.roleId)) throw new AppError('BAD_REQUEST', `role_id ${input.roleId} is not a valid role`);
    const wanted = input.memberUser;
    const namesUser = wanted !== undefined && ((wanted.userId ?? 0) > 0 || (wanted.username ?? '') !== '');
    if (!namesUser && input.memberGroup) return this.createGroupMember(project, input.roleId, input.memberGroup);
    if (!wanted || (wanted.userId === undefined && (wanted.username === undefined || wanted.username === ''))) {
      throw new AppError('BAD_REQUEST', 'member_user with user_id or username is required');
    }
    const user = wanted.userId !== undefined && wanted.userId > 0
      ? await this.users.findById(wanted.userId)
      : await this.users.findByUsername(wanted.username ?? '');
    // 400 rather than 404: the swagger lists no 404 here, and the path's resource (the project) exists.
    if (!user) throw new AppError('BAD_REQUEST', `user ${wanted.userId ?? wanted.username} not found`);
    if (await this.members.findUserMember(project.projectId, user.userId)) {
      throw new AppError('CONFLICT', `user ${user.username} is already a member of project ${project.name}`);
    }
    try {
      return { projectId: project.projectId, memberId: await this.members.addUser(project.projectId, user.userId, input.roleId) };
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `user ${user.username} is already a member of project ${project.name}`);
      throw err;
    }
  }

  private async createGroupMember(project: { projectId: number; name: string }, roleId: number, wanted: UserGroupInput): Promise<{ projectId: number; memberId: number }> {
    const group = await this.groups.resolveForMembership(wanted);
    const taken = () => new AppError('CONFLICT', `group ${group.groupName} is already a member of project ${project.name}`);
    if (await this.members.findGroupMember(project.projectId, group.id)) throw taken();
    try {
      return { projectId: project.projectId, memberId: await this.members.addGroup(project.projectId, group.id, roleId) };
    } catch (err) {
      if (isDuplicateKey(err)) throw taken();
      throw err;
    }
  }

  async update(caller: Caller, ref: ProjectRef, memberId: number, roleId: number): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'member:update');
    if (!isRoleId(roleId)) throw new AppError('BAD_REQUEST', `role_id ${roleId} is not a valid role`);
    await this.mustExist(project.projectId, memberId);
    await this.members.updateRole(project.projectId, memberId, roleId);
  }

  async delete(caller: Caller, ref: ProjectRef, memberId: number): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'member:delete');
    const member = await this.members.findById(project.projectId, memberId);
    if (!member || !(await this.members.delete(project.projectId, memberId))) throw new AppError('NOT_FOUND', `member ${memberId} not found`);
    await this.audit?.record({ projectId: project.projectId, operation: 'delete', resourceType: 'member', resource: member.entityName, username: operatorOf(caller) });
  }

  private async mustExist(projectId: number, memberId: number): Promise<MemberRecord> {
    const member = await this.members.findById(projectId, memberId);
    if (!member) throw new AppError('NOT_FOUND', `member ${memberId} not found`);
    return member;
  }
}
