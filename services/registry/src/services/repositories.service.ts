import { fail } from '@harbor/errors';
import { projectOf } from '@harbor/oci';
import type { ProjectDao } from '../dao/project.dao';
import type { RepositoryDao, RepositoryRow } from '../dao/repository.dao';

/** Repositories live in Harbor projects: the first component of the name must be one. */
export class Repositories {
  constructor(
    private readonly projects: ProjectDao,
    private readonly repositories: RepositoryDao,
  ) {}

  /** The project id, or NAME_UNKNOWN: core owns projects, and pushes into a missing one go nowhere. */
  async requireProject(name: string): Promise<number> {
    const projectId = await this.projects.idByName(projectOf(name));
    if (projectId === undefined) throw fail('NAME_UNKNOWN', `project ${projectOf(name)} not found`, { name });
    return projectId;
  }

  async find(name: string): Promise<RepositoryRow | undefined> {
    return this.repositories.findByName(name);
  }

  /** The repository, or NAME_UNKNOWN when neither it nor its project exists. */
  async require(name: string): Promise<RepositoryRow> {
    const found = await this.repositories.findByName(name);
    if (found) return found;
    await this.requireProject(name);
    throw fail('NAME_UNKNOWN', 'repository name not known to registry', { name });
  }

  /** The repository's id, creating the row on first push (safe against a racing registry process). */
  async ensure(name: string): Promise<number> {
    const found = await this.repositories.findByName(name);
    if (found) return found.repositoryId;
    const projectId = await this.requireProject(name);
    return this.repositories.create(name, projectId);
  }

  /**
   * Turns "nothing found" into the right code: NAME_UNKNOWN when the project
   * is missing, otherwise the caller's own not-found error.
   */
  async notFound(name: string, otherwise: () => Error): Promise<never> {
    await this.requireProject(name);
    throw otherwise();
  }
}
