import { allowedActions, highestRole } from '../domain/permission';
import type { Caller } from '../domain/caller';
import type { MemberRecord } from '../dao/member.dao';
import { isPublic } from '../dao/project.dao';
import type { UserRecord } from '../dao/user.dao';
import type { ProjectSummary, ProjectView } from '../controllers/project.controller';
import type { RepositoryHit } from '../dao/project-usage.dao';

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
export function projectResp(view: ProjectView, caller: Caller, options: { withDetail?: boolean } = {}): Record<string, unknown> {
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
    // Listings with with_detail=false leave out what Harbor assembles separately.
    ...(options.withDetail === false ? {} : { cve_allowlist: cveAllowlist(view) }),
  };
}

/** Harbor's `ProjectSummary`; member counts appear only for callers who may list members. */
export function projectSummaryResp(summary: ProjectSummary): Record<string, unknown> {
  return {
    repo_count: summary.repoCount,
    ...(summary.memberCounts && {
      project_admin_count: summary.memberCounts.projectAdmin,
      maintainer_count: summary.memberCounts.maintainer,
      developer_count: summary.memberCounts.developer,
      guest_count: summary.memberCounts.guest,
      limited_guest_count: summary.memberCounts.limitedGuest,
    }),
    ...(summary.quota && { quota: { hard: { storage: summary.quota.hard }, used: { storage: summary.quota.used } } }),
  };
}

function cveAllowlist({ project }: ProjectView): Record<string, unknown> {
  return {
    id: 0,
    project_id: project.projectId,
    items: [],
    creation_time: project.creationTime.toISOString(),
    update_time: project.updateTime.toISOString(),
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

/** Harbor's `SearchRepository`. */
export function searchRepositoryResp(hit: RepositoryHit): Record<string, unknown> {
  return {
    project_id: hit.projectId,
    project_name: hit.projectName,
    project_public: hit.projectPublic,
    repository_name: hit.name,
    pull_count: hit.pullCount,
    artifact_count: hit.artifactCount,
  };
}
