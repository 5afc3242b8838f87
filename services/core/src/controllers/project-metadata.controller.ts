import { AppError } from '@harbor/errors';
import { isDuplicateKey } from '@harbor/db';
import type { Caller } from '../domain/caller';
import { jsonObjectBody } from '../domain/json-body';
import { isProjectMetadataName, projectMetadataValue } from '../domain/project-metadata';
import { isPublic, type ProjectDao, type ProjectRecord } from '../dao/project.dao';
import type { ProjectAccess, ProjectRef } from './project-access';

/**
 * `/projects/{p}/metadatas`: one project's metadata one name at a time,
 * with Harbor's `metadata:*` permissions (project admins and maintainers;
 * system admins). Values are checked by the same rule as project
 * create/update and stored by the same DAO; unlike there, an unknown name is
 * refused (400), as Harbor's metadata API does. `public` always has a value
 * ("false" when never set) and cannot be deleted: set it to "false".
 */
export class ProjectMetadataController {
  constructor(
    private readonly projects: ProjectDao,
    private readonly access: ProjectAccess,
  ) {}

  async list(caller: Caller, ref: ProjectRef): Promise<Record<string, string>> {
    const { project } = await this.access.require(caller, ref, 'metadata:read');
    return metadataOf(project);
  }

  async get(caller: Caller, ref: ProjectRef, name: string): Promise<Record<string, string>> {
    const { project } = await this.access.require(caller, ref, 'metadata:read');
    const all = metadataOf(project);
    if (!Object.hasOwn(all, name)) throw notFound(project, name);
    return { [name]: all[name]! };
  }

  /** Harbor's POST: exactly one name, not yet set (409 when it is). */
  async add(caller: Caller, ref: ProjectRef, body: unknown): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'metadata:create');
    const [name, value] = onePair(body);
    if (Object.hasOwn(metadataOf(project), name)) throw conflict(project, name);
    try {
      await this.projects.addMetadata(project.projectId, name, value);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(project, name);
      throw err;
    }
  }

  /** Harbor's PUT: the body names exactly the name of the path. Sets the value whether or not one was set before. */
  async update(caller: Caller, ref: ProjectRef, name: string, body: unknown): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'metadata:update');
    knownName(name);
    const [given, value] = onePair(body);
    if (given !== name) throw new AppError('BAD_REQUEST', `the body must hold exactly one metadata value, named ${name}`);
    await this.projects.updateMetadata(project.projectId, { [name]: value });
  }

  async delete(caller: Caller, ref: ProjectRef, name: string): Promise<void> {
    const { project } = await this.access.require(caller, ref, 'metadata:delete');
    knownName(name);
    if (name === 'public') throw new AppError('BAD_REQUEST', 'public cannot be deleted: set it to "false" instead');
    if (!(await this.projects.deleteMetadata(project.projectId, name))) throw notFound(project, name);
  }
}

/** The project's metadata as Harbor shows it: `public` always present. */
function metadataOf(project: ProjectRecord): Record<string, string> {
  return { ...project.metadata, public: isPublic(project) ? 'true' : 'false' };
}

function knownName(name: string): void {
  if (!isProjectMetadataName(name)) throw new AppError('BAD_REQUEST', `${name.slice(0, 64)} is not a project metadata name`);
}

/** The one `{name: "value"}` pair of a body, its name known and its value checked and normalised. */
function onePair(body: unknown): [string, string] {
  const entries = Object.entries(jsonObjectBody(body));
  if (entries.length !== 1) throw new AppError('BAD_REQUEST', 'the body must hold exactly one metadata value');
  const [name, raw] = entries[0]!;
  knownName(name);
  if (typeof raw !== 'string') throw new AppError('BAD_REQUEST', `metadata.${name} must be a string such as "true"`);
  const checked = projectMetadataValue(name, raw);
  if ('problem' in checked) throw new AppError('BAD_REQUEST', checked.problem);
  return [name, checked.value];
}

function notFound(project: ProjectRecord, name: string): AppError {
  return new AppError('NOT_FOUND', `project ${project.name} has no metadata ${name.slice(0, 64)}`);
}

function conflict(project: ProjectRecord, name: string): AppError {
  return new AppError('CONFLICT', `project ${project.name} already has metadata ${name}: change it with PUT`);
}
