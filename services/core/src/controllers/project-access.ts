import { AppError } from '@harbor/errors';
import { Caller, isSysadmin } from '../domain/caller';
import { allowedActions, ProjectAction, projectActions } from '../domain/permission';
import { robotProjectActions } from '../domain/robot-permission';
import type { MemberDao } from '../dao/member.dao';
import { isPublic, ProjectDao, ProjectRecord } from '../dao/project.dao';
import { denied } from './guards';

/** A project as a path names it: by id or by name (Harbor's `project_name_or_id`). */
export type ProjectRef = { id: number } | { name: string };

export interface ProjectStandingView {
  roles: number[];
  actions: Set<ProjectAction>;
}

/**
 * Answers "what may this caller do in this project", once, for the API and
 * the token service alike, so the two can never disagree.
 */
export class ProjectAccess {
  constructor(
    private readonly projects: ProjectDao,
    private readonly members: MemberDao,
  ) {}

  async resolve(ref: ProjectRef): Promise<ProjectRecord> {
    const project = 'id' in ref ? await this.projects.findById(ref.id) : await this.projects.findByName(ref.name);
    if (!project) throw new AppError('NOT_FOUND', `project ${'id' in ref ? ref.id : ref.name} not found`);
    return project;
  }

  async standing(caller: Caller, project: ProjectRecord): Promise<ProjectStandingView> {
    if (caller.kind === 'robot') return { roles: [], actions: robotProjectActions(caller.robot, { projectId: project.projectId, name: project.name, isPublic: isPublic(project) }) };
    const roles = caller.kind === 'user' ? (await this.members.rolesOfUser(caller.user.userId, [project.projectId])).get(project.projectId) ?? [] : [];
    return { roles, actions: allowedActions({ sysadmin: isSysadmin(caller), roles, isPublic: isPublic(project) }) };
  }

  /**
   * Resolves the project and checks one action: 401/403 when not allowed.
   * As in Harbor, a missing project reads as "not allowed" (401/403) to
   * everyone but system admins (404), so nobody learns which private
   * project names exist by probing.
   */
  async require(caller: Caller, ref: ProjectRef, action: ProjectAction): Promise<{ project: ProjectRecord; standing: ProjectStandingView }> {
    // A misspelt action would deny everyone quietly; fail loudly instead.
    if (!projectActions.includes(action)) throw new Error(`unknown project action ${action}`);
    let project: ProjectRecord;
    try {
      project = await this.resolve(ref);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND' && !isSysadmin(caller)) throw denied(caller);
      throw err;
    }
    const standing = await this.standing(caller, project);
    if (!standing.actions.has(action)) throw denied(caller);
    return { project, standing };
  }

  /** Standing in many projects at once (token requests name several). Missing projects are left out. */
  async actionsByProjectName(caller: Caller, names: string[]): Promise<Map<string, Set<ProjectAction>>> {
    const projects = await this.projects.findByNames(names);
    const roles = caller.kind === 'user' ? await this.members.rolesOfUser(caller.user.userId, projects.map((p) => p.projectId)) : new Map<number, number[]>();
    const result = new Map<string, Set<ProjectAction>>();
    for (const project of projects) {
      result.set(
        project.name,
        caller.kind === 'robot'
          ? robotProjectActions(caller.robot, { projectId: project.projectId, name: project.name, isPublic: isPublic(project) })
          : allowedActions({ sysadmin: isSysadmin(caller), roles: roles.get(project.projectId) ?? [], isPublic: isPublic(project) }),
      );
    }
    return result;
  }
}
