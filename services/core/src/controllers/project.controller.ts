import { AppError } from '@harbor/errors';
import { isDuplicateKey, isForeignKeyViolation } from '@harbor/db';
import { Caller, isSysadmin } from '../domain/caller';
import { projectNameProblem } from '../domain/names';
import { isProjectMetadataName, projectMetadataValue } from '../domain/project-metadata';
import type { MemberDao } from '../dao/member.dao';
import { type ProjectDao, type ProjectFilter, type ProjectRecord, type ProjectVisibility } from '../dao/project.dao';
import type { ProjectUsageDao } from '../dao/project-usage.dao';
import { Role } from '../domain/role';
import { storageLimitProblem } from '../domain/storage-limit';
import type { SettingsReader } from '../domain/system-settings';
import type { Page } from '../dao/user.dao';
import { forbidden, requireUser } from './guards';
import { type AuditLog, operatorOf } from './audit-log';
import type { ProjectAccess, ProjectRef } from './project-access';

export interface ProjectCreation {
  name: string;
  /** Deprecated in Harbor's API but still accepted; `metadata.public` wins when both are given. */
  public?: boolean | null;
  metadata?: Record<string, string>;
  storageLimit?: number | null;
  registryId?: number | null;
}

export interface ProjectUpdate {
  name?: string;
  public?: boolean | null;
  metadata?: Record<string, string>;
  storageLimit?: number | null;
}

/** Harbor's ProjectSummary, with the parts the caller may not see left out. */
export interface ProjectSummary {
  repoCount: number;
  memberCounts?: Record<'projectAdmin' | 'maintainer' | 'developer' | 'guest' | 'limitedGuest', number>;
  quota?: { hard: number; used: number };
}

/** A project as the API shows it to one caller. */
export interface ProjectView {
  project: ProjectRecord;
  roles: number[];
  repoCount: number;
}

export class ProjectController {
  constructor(
    private readonly projects: ProjectDao,
    private readonly members: MemberDao,
    private readonly access: ProjectAccess,
    /** project_creation_restriction, which a system admin may change at run time. */
    private readonly settings: SettingsReader,
    private readonly usage: ProjectUsageDao,
    private readonly audit?: AuditLog,
  ) {}

  async create(caller: Caller, input: ProjectCreation): Promise<number> {
    const user = requireUser(caller);
    if ((await this.settings.current()).projectCreationRestriction === 'adminonly' && !user.sysadmin) {
      throw forbidden('only system administrators can create projects');
    }
    const problem = projectNameProblem(input.name);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    if (input.registryId !== undefined && input.registryId !== null) {
      throw new AppError('BAD_REQUEST', 'proxy cache projects are not supported');
    }
    checkStorageLimit(input.storageLimit);
    const metadata = normaliseMetadata(input.metadata ?? {});
    if (metadata.public === undefined) metadata.public = input.public === true ? 'true' : 'false';
    try {
      const projectId = await this.projects.create({ name: input.name, ownerId: user.userId, metadata, storageLimit: input.storageLimit ?? -1 });
      await this.audit?.record({ projectId, operation: 'create', resourceType: 'project', resource: input.name, username: user.username });
      return projectId;
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `the project named ${input.name} already exists`);
      throw err;
    }
  }

  exists(name: string): Promise<boolean> {
    return this.projects.exists(name);
  }

  async list(caller: Caller, filter: Omit<ProjectFilter, 'visibility'>, page: Page): Promise<{ total: number; items: ProjectView[] }> {
    const visibility = visibilityOf(caller);
    const { total, projects } = await this.projects.list({ ...filter, visibility }, page);
    const ids = projects.map((p) => p.projectId);
    const [roles, counts] = await Promise.all([
      caller.kind === 'user' ? this.members.rolesOfUser(caller.user.userId, ids) : Promise.resolve(new Map<number, number[]>()),
      this.projects.repositoryCounts(ids),
    ]);
    return {
      total,
      items: projects.map((project) => ({
        project,
        roles: roles.get(project.projectId) ?? [],
        repoCount: counts.get(project.projectId) ?? 0,
      })),
    };
  }

  async get(caller: Caller, ref: ProjectRef): Promise<ProjectView> {
    const { project, standing } = await this.access.require(caller, ref, 'project:read');
    return { project, roles: standing.roles, repoCount: await this.projects.repositoryCount(project.projectId) };
  }

  /**
   * Changes settings (metadata, the deprecated `public` flag) of a project the
   * caller administers; the storage limit only when a system admin sends it. Names never change.
   */
  async update(caller: Caller, ref: ProjectRef, input: ProjectUpdate): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'project:update');
    if (input.name !== undefined && input.name !== project.name) throw new AppError('BAD_REQUEST', 'a project cannot be renamed');
    checkStorageLimit(input.storageLimit);
    // Harbor changes quotas elsewhere and ignores the field here; system admins may set it here too.
    const storageLimit = isSysadmin(caller) ? input.storageLimit : undefined;
    const metadata = normaliseMetadata(input.metadata ?? {});
    if (metadata.public === undefined && input.public !== undefined && input.public !== null) metadata.public = String(input.public);
    await this.projects.updateMetadata(project.projectId, metadata);
    if (storageLimit !== undefined && storageLimit !== null) await this.projects.setStorageLimit(project.projectId, storageLimit);
  }

  /** Harbor's summary: member counts only for those who may list members. */
  async summary(caller: Caller, ref: ProjectRef): Promise<ProjectSummary> {
    const { project, standing } = await this.access.require(caller, ref, 'project:read');
    const id = project.projectId;
    const summary: ProjectSummary = { repoCount: await this.projects.repositoryCount(id) };
    if (standing.actions.has('member:list')) {
      const counts = await this.projects.memberCountsByRole(id);
      summary.memberCounts = {
        projectAdmin: counts.get(Role.projectAdmin) ?? 0,
        maintainer: counts.get(Role.maintainer) ?? 0,
        developer: counts.get(Role.developer) ?? 0,
        guest: counts.get(Role.guest) ?? 0,
        limitedGuest: counts.get(Role.limitedGuest) ?? 0,
      };
    }
    if (standing.actions.has('quota:read')) {
      const [hard, used] = await Promise.all([this.projects.storageLimit(id), this.usage.storageUsed([id])]);
      summary.quota = { hard, used: used.get(id) ?? 0 };
    }
    return summary;
  }

  /** Whether `delete` would go through now, and why not. */
  async deletable(caller: Caller, ref: ProjectRef): Promise<{ deletable: boolean; message?: string }> {
    const { project } = await this.access.require(caller, ref, 'project:delete');
    const repositories = await this.projects.repositoryCount(project.projectId);
    if (repositories > 0) return { deletable: false, message: `the project ${project.name} contains ${repositories} repositories, it cannot be deleted` };
    return { deletable: true };
  }

  /** Only empty projects go: their repositories must be deleted (through the registry) first. */
  async delete(caller: Caller, ref: ProjectRef): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'project:delete');
    const notEmpty = () => new AppError('PRECONDITION', `the project ${project.name} still contains repositories`);
    if ((await this.projects.repositoryCount(project.projectId)) > 0) throw notEmpty();
    try {
      await this.projects.delete(project.projectId);
      await this.audit?.record({ projectId: project.projectId, operation: 'delete', resourceType: 'project', resource: project.name, username: operatorOf(caller) });
    } catch (err) {
      // A push that created a repository between the check and the delete.
      if (isForeignKeyViolation(err)) throw notEmpty();
      throw err;
    }
  }
}

/**
 * Which projects a caller may see in listings, search and statistics. As in
 * Harbor, a robot sees public projects and those its permissions name (its
 * own project, or a system robot's namespaces; `*` covers them all).
 */
export function visibilityOf(caller: Caller): ProjectVisibility {
  if (isSysadmin(caller)) return { kind: 'all' };
  if (caller.kind === 'user') return { kind: 'publicOrMemberOf', userId: caller.user.userId };
  if (caller.kind === 'robot') {
    const robot = caller.robot;
    if (robot.level === 'project') return { kind: 'publicOrNamed', projectIds: [robot.projectId], names: [] };
    const names = robot.permissions.filter((p) => p.kind === 'project').map((p) => p.namespace);
    if (names.includes('*')) return { kind: 'all' };
    return { kind: 'publicOrNamed', projectIds: [], names };
  }
  return { kind: 'public' };
}

function checkStorageLimit(limit: number | null | undefined): void {
  if (limit === undefined || limit === null) return;
  const problem = storageLimitProblem(limit, 'storage_limit');
  if (problem) throw new AppError('BAD_REQUEST', problem);
}

function normaliseMetadata(input: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    // Other keys (proxy-cache settings, retention ids) belong to features this suite does not have: ignored, as unknown fields are.
    if (!isProjectMetadataName(key)) continue;
    const checked = projectMetadataValue(key, value);
    if ('problem' in checked) throw new AppError('BAD_REQUEST', checked.problem);
    metadata[key] = checked.value;
  }
  return metadata;
}
