import { ProjectAction, projectActions, publicProjectActions, splitAction } from './permission';
import type { RobotLevel, RobotPermission, RobotRecord } from './robot';

/** Limits on a permission list: generous for a system robot over many projects, bounded for abuse. */
export const maxPermissionScopes = 500;
export const maxAccessPerScope = 100;
export const maxAccessEntries = 5000;

/** Harbor's verbs (see the swagger's `Access.action`). */
const knownVerbs = new Set(['*', 'pull', 'push', 'create', 'read', 'update', 'delete', 'list', 'operate', 'scanner-pull', 'stop']);
const projectResources = new Set(projectActions.map((a) => splitAction(a).resource));

export interface RobotProject {
  projectId: number;
  name: string;
  isPublic: boolean;
}

/**
 * What a robot may do in one project: the allowed entries of every scope
 * naming the project (a system robot's `*` names them all), minus the denied
 * ones, plus what anybody may do in a public project (a robot is never
 * worse off than an anonymous caller). A project robot's scopes apply only
 * to its own project, checked by id, so a project deleted and re-created
 * under the same name is out of reach.
 */
export function robotProjectActions(robot: Pick<RobotRecord, 'level' | 'projectId' | 'permissions'>, project: RobotProject): Set<ProjectAction> {
  const allowed = new Set<ProjectAction>(project.isPublic ? publicProjectActions : []);
  if (robot.level === 'project' && robot.projectId !== project.projectId) return allowed;
  const denied = new Set<ProjectAction>();
  for (const scope of robot.permissions) {
    if (scope.kind !== 'project') continue;
    if (scope.namespace !== project.name && !(robot.level === 'system' && scope.namespace === '*')) continue;
    for (const access of scope.access) {
      const target = access.effect === 'deny' ? denied : allowed;
      for (const action of expandAccess(access.resource, access.action)) target.add(action);
    }
  }
  for (const action of denied) allowed.delete(action);
  return allowed;
}

/** `repository` + `*` → every repository action; `*` + `*` → everything; unknown pairs → nothing. */
function expandAccess(resource: string, verb: string): ProjectAction[] {
  return projectActions.filter((action) => {
    const parts = splitAction(action);
    return (resource === '*' || parts.resource === resource) && (verb === '*' || parts.action === verb);
  });
}

/**
 * Checks a permission list against the robot's level; returns the reason it
 * is refused, or null. A project robot has exactly one scope: its own
 * project. A system robot may name projects (by name or `*`) and the system
 * scope `/`.
 */
export function robotPermissionsProblem(level: RobotLevel, permissions: RobotPermission[], ownProject: string | null): string | null {
  if (permissions.length === 0) return 'a robot needs at least one permission';
  if (permissions.length > maxPermissionScopes) return `at most ${maxPermissionScopes} permission scopes are allowed`;
  let total = 0;
  for (const scope of permissions) {
    if (scope.access.length === 0) return 'every permission scope needs at least one access entry';
    if (scope.access.length > maxAccessPerScope) return `at most ${maxAccessPerScope} access entries per scope are allowed`;
    total += scope.access.length;
    if (level === 'project') {
      if (permissions.length !== 1 || scope.kind !== 'project' || scope.namespace !== ownProject) {
        return `a project robot has exactly one permission scope: kind "project", namespace "${ownProject ?? ''}"`;
      }
    } else if (scope.kind === 'system' ? scope.namespace !== '/' : scope.namespace === '' || scope.namespace === '/') {
      return `invalid namespace ${JSON.stringify(scope.namespace)} for kind ${scope.kind}`;
    }
    for (const access of scope.access) {
      if (!knownVerbs.has(access.action)) return `unknown action ${JSON.stringify(access.action)}`;
      if (scope.kind === 'project' && access.resource !== '*' && !projectResources.has(access.resource)) {
        return `unknown project resource ${JSON.stringify(access.resource)}`;
      }
    }
  }
  if (total > maxAccessEntries) return `at most ${maxAccessEntries} access entries are allowed`;
  const seen = new Set<string>();
  for (const scope of permissions) {
    const key = `${scope.kind}\u0000${scope.namespace}`;
    if (seen.has(key)) return `the scope ${scope.kind} ${JSON.stringify(scope.namespace)} is given twice`;
    seen.add(key);
  }
  return null;
}
