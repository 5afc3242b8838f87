import { allowedActions, highestRole } from '../domain/permission';
import type { Caller } from '../domain/caller';
import type { MemberRecord } from '../dao/member.dao';
import { isPublic } from '../dao/project.dao';
import type { UserRecord } from '../dao/user.dao';
import type { ProjectView } from '../controllers/project.controller';

/** Harbor's `UserResp`; the password hash never leaves the DAO layer's record. */
export function userResp(user: UserRecord): Record<string, unknown> {
  return {
    user_id: user.userId,
    username: user.username,
    email: user.email ?? '',
    realname: user.realname,
    comment: user.comment,
    sysadmin_flag: user.sysadmin,
    admin_role_in_auth: false,
    creation_time: user.creationTime.toISOString(),
    update_time: user.updateTime.toISOString(),
  };
}

/** Harbor's `Project`, with the caller's own roles in it. */
export function projectResp(view: ProjectView, caller: Caller): Record<string, unknown> {
  const { project, roles, repoCount } = view;
  const sysadmin = caller.kind === 'user' && caller.user.sysadmin;
  return {
    project_id: project.projectId,
    owner_id: project.ownerId,
    name: project.name,
    creation_time: project.creationTime.toISOString(),
    update_time: project.updateTime.toISOString(),
    deleted: false,
    owner_name: project.ownerName,
    togglable: allowedActions({ sysadmin, roles, isPublic: isPublic(project) }).has('project:update'),
    current_user_role_id: highestRole(roles),
    current_user_role_ids: roles,
    repo_count: repoCount,
    metadata: { ...project.metadata, public: isPublic(project) ? 'true' : 'false' },
    cve_allowlist: {
      id: 0,
      project_id: project.projectId,
      items: [],
      creation_time: project.creationTime.toISOString(),
      update_time: project.updateTime.toISOString(),
    },
  };
}

/** Harbor's `ProjectMemberEntity`. */
export function memberResp(member: MemberRecord): Record<string, unknown> {
  return {
    id: member.id,
    project_id: member.projectId,
    entity_name: member.entityName,
    role_name: member.roleName,
    role_id: member.roleId,
    entity_id: member.entityId,
    entity_type: member.entityType,
  };
}
