import { AppError } from '@harbor/errors';
import { isDuplicateKey, isForeignKeyViolation } from '@harbor/db';
import type { CoreConfig } from '@harbor/config';
import { Caller, isSysadmin } from '../domain/caller';
import { projectNameProblem } from '../domain/names';
import type { MemberDao } from '../dao/member.dao';
import type { ProjectDao, ProjectFilter, ProjectRecord, Visibility } from '../dao/project.dao';
import type { Page } from '../dao/user.dao';
import { forbidden, requireUser } from './guards';
import type { ProjectAccess, ProjectRef } from './project-access';

export interface ProjectCreation {
  name: string;
  /** Deprecated in Harbor's API but still accepted; `metadata.public` wins when both are given. */
  public?: boolean | null;
  metadata?: Record<string, string>;
  storageLimit?: number | null;
  registryId?: number | null;
}

/** A project as the API shows it to one caller. */
export interface ProjectView {
  project: ProjectRecord;
  roles: number[];
  repoCount: number;
}

/** The boolean-valued metadata keys Harbor knows, and the one enumerated key. */
const booleanMetadata = ['public', 'auto_scan', 'prevent_vul', 'enable_content_trust', 'enable_content_trust_cosign', 'reuse_sys_cve_allowlist', 'auto_sbom_generation'];
const severities = ['none', 'low', 'medium', 'high', 'critical'];

export interface ProjectControllerOptions {
  creationRestriction: CoreConfig['projectCreationRestriction'];
}

export class ProjectController {
  constructor(
    private readonly projects: ProjectDao,
    private readonly members: MemberDao,
    private readonly access: ProjectAccess,
    private readonly options: ProjectControllerOptions,
  ) {}

  async create(caller: Caller, input: ProjectCreation): Promise<number> {
    const user = requireUser(caller);
    if (this.options.creationRestriction === 'adminonly' && !user.sysadmin) {
      throw forbidden('only system administrators can create projects');
    }
    const problem = projectNameProblem(input.name);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    if (input.registryId !== undefined && input.registryId !== null) {
      throw new AppError('BAD_REQUEST', 'proxy cache projects are not supported');
    }
    if (input.storageLimit !== undefined && input.storageLimit !== null && (input.storageLimit === 0 || input.storageLimit < -1)) {
      throw new AppError('BAD_REQUEST', 'storage_limit must be -1 (unlimited) or a positive number of bytes');
    }
    const metadata = normaliseMetadata(input.metadata ?? {});
    if (metadata.public === undefined) metadata.public = input.public === true ? 'true' : 'false';
    try {
      return await this.projects.create({ name: input.name, ownerId: user.userId, metadata });
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `the project named ${input.name} already exists`);
      throw err;
    }
  }

  exists(name: string): Promise<boolean> {
    return this.projects.exists(name);
  }

  async list(caller: Caller, filter: Omit<ProjectFilter, 'visibility'>, page: Page): Promise<{ total: number; items: ProjectView[] }> {
    const visibility: Visibility = isSysadmin(caller)
      ? { kind: 'all' }
      : caller.kind === 'user'
        ? { kind: 'publicOrMemberOf', userId: caller.user.userId }
        : { kind: 'public' };
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

  /** Only empty projects go: their repositories must be deleted (through the registry) first. */
  async delete(caller: Caller, ref: ProjectRef): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'project:delete');
    const notEmpty = () => new AppError('PRECONDITION', `the project ${project.name} still contains repositories`);
    if ((await this.projects.repositoryCount(project.projectId)) > 0) throw notEmpty();
    try {
      await this.projects.delete(project.projectId);
    } catch (err) {
      // A push that created a repository between the check and the delete.
      if (isForeignKeyViolation(err)) throw notEmpty();
      throw err;
    }
  }
}

function normaliseMetadata(input: Record<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (booleanMetadata.includes(key)) {
      const normalised = value.toLowerCase();
      if (normalised !== 'true' && normalised !== 'false') throw new AppError('BAD_REQUEST', `metadata.${key} must be "true" or "false"`);
      metadata[key] = normalised;
    } else if (key === 'severity') {
      if (!severities.includes(value.toLowerCase())) throw new AppError('BAD_REQUEST', `metadata.severity must be one of ${severities.join(', ')}`);
      metadata[key] = value.toLowerCase();
    }
    // Other keys (proxy-cache settings, retention ids) belong to features this suite does not have: ignored, as unknown fields are.
  }
  return metadata;
}
