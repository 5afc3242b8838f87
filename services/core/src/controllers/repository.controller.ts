import { AppError } from '@harbor/errors';
import type { ArtifactStatDao } from '../dao/artifact-stat.dao';
import type { RepositoryDao, RepositoryFilter, RepositoryRecord } from '../dao/repository.dao';
import type { Page } from '../dao/user.dao';
import type { Caller } from '../domain/caller';
import type { ProjectAction } from '../domain/permission';
import type { RegistryClient } from '../registry/registry-client';
import { type AuditLog, operatorOf } from './audit-log';
import type { ProjectAccess } from './project-access';
import { visibilityOf } from './project.controller';

/**
 * Which project action each repository operation needs, named as Harbor's
 * handlers name them: reading needs pull (public projects grant it to all),
 * the description `repository:update` (developers and up), deleting
 * `repository:delete` (maintainers and up).
 */
export const repositoryPermissions = {
  read: 'repository:pull',
  update: 'repository:update',
  delete: 'repository:delete',
} as const satisfies Record<string, ProjectAction>;

export type RepositoryListFilter = Pick<RepositoryFilter, 'name' | 'projectId' | 'sort'>;

/** Repositories as Harbor shows them; the registry owns them, so changes go through it. */
export class RepositoryController {
  constructor(
    private readonly repositories: RepositoryDao,
    private readonly access: ProjectAccess,
    private readonly registry: RegistryClient,
    private readonly stats: ArtifactStatDao,
    private readonly audit: AuditLog,
  ) {}

  async listInProject(caller: Caller, projectName: string, filter: RepositoryListFilter, page: Page) {
    const { project } = await this.access.require(caller, { name: projectName }, repositoryPermissions.read);
    return this.repositories.list({ ...filter, scope: { kind: 'project', projectId: project.projectId } }, page);
  }

  /** Every repository the caller may see, by the same rule as project listings (groups and robots included). */
  async listVisible(caller: Caller, filter: RepositoryListFilter, page: Page) {
    return this.repositories.list({ ...filter, scope: { kind: 'visible', visibility: visibilityOf(caller) } }, page);
  }

  async get(caller: Caller, projectName: string, repositoryName: string): Promise<RepositoryRecord> {
    return (await this.resolve(caller, projectName, repositoryName, repositoryPermissions.read)).repository;
  }

  async updateDescription(caller: Caller, projectName: string, repositoryName: string, description: string): Promise<void> {
    const { repository } = await this.resolve(caller, projectName, repositoryName, repositoryPermissions.update);
    await this.registry.updateDescription(repository.name, description);
  }

  async delete(caller: Caller, projectName: string, repositoryName: string): Promise<void> {
    const { repository, username } = await this.resolve(caller, projectName, repositoryName, repositoryPermissions.delete);
    await this.registry.deleteRepository(repository.name);
    await this.stats.forget(repository.name);
    await this.audit.record({ projectId: repository.projectId, operation: 'delete', resourceType: 'repository', resource: repository.name, username });
  }

  /** The project (checked for the action first, so a hidden project's repositories stay hidden) and then the repository. */
  async resolve(caller: Caller, projectName: string, repositoryName: string, action: ProjectAction) {
    const { project } = await this.access.require(caller, { name: projectName }, action);
    const repository = await this.repositories.findByName(repositoryName);
    if (!repository || repository.projectId !== project.projectId) throw new AppError('NOT_FOUND', `repository ${repositoryName} not found`);
    return { project, repository, username: operatorOf(caller) };
  }
}
