import { AppError } from '@harbor/errors';
import { Caller, isSysadmin } from '../domain/caller';
import { allowedSystemActions, projectActions, splitAction, systemActions } from '../domain/permission';
import type { ProjectAccess } from './project-access';

export interface Permission {
  resource: string;
  action: string;
}

/**
 * `GET /users/current/permissions`: the policies of one namespace
 * (`/project/<id>` or `/system`, optionally narrowed to a sub-resource such
 * as `/project/<id>/repository`) that the caller holds, as Harbor lists them.
 * Resources are absolute (`/project/1/repository`) or, with `relative`,
 * relative to the scope (`repository`, and `.` for the scope itself).
 * Scopes that name nothing, and projects that do not exist or that the
 * caller may not see, give an empty list: no existence is revealed.
 */
export class PermissionController {
  constructor(private readonly access: ProjectAccess) {}

  async list(caller: Caller, scope: string | undefined, relative: boolean): Promise<Permission[]> {
    if (caller.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
    if (scope === undefined || scope === '') return [];
    const projectScope = /^\/project\/([0-9]{1,10})(\/.*)?$/.exec(scope);
    if (projectScope) {
      const projectId = Number(projectScope[1]);
      if (projectId < 1 || projectId > 2147483647) return [];
      const namespace = `/project/${projectId}`;
      let held: Set<string>;
      try {
        const project = await this.access.resolve({ id: projectId });
        held = (await this.access.standing(caller, project)).actions;
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return [];
        throw err;
      }
      return present(projectActions.filter((a) => held.has(a)), namespace, scope, relative, 'project');
    }
    if (/^\/system(\/.*)?$/.test(scope)) {
      const held = allowedSystemActions(isSysadmin(caller));
      return present(systemActions.filter((a) => held.has(a)), '/system', scope, relative, null);
    }
    return [];
  }
}

/**
 * Turns `repository:pull` into `{resource: "/project/1/repository", action: "pull"}`,
 * keeps the resources under the scope, and makes them relative when asked.
 * `selfName` is the resource name that stands for the namespace itself.
 */
function present(actions: string[], namespace: string, scope: string, relative: boolean, selfName: string | null): Permission[] {
  const result: Permission[] = [];
  for (const item of actions) {
    const { resource, action } = splitAction(item);
    const absolute = resource === selfName ? namespace : `${namespace}/${resource}`;
    if (absolute !== scope && !absolute.startsWith(`${scope}/`)) continue;
    result.push({ resource: relative ? (absolute === scope ? '.' : absolute.slice(scope.length + 1)) : absolute, action });
  }
  return result;
}
