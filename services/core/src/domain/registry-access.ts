import type { ResourceActions } from '@harbor/auth';
import type { ProjectAction } from './permission';

/**
 * The registry verbs a token may carry, and the permissions each needs. Harbor
 * hands out `*` to whoever may push; here the registry reads `*` as "every
 * verb, delete included", so it goes only to those who hold all three.
 */
const repositoryVerbs: Record<string, ProjectAction[]> = {
  pull: ['repository:pull'],
  push: ['repository:push'],
  delete: ['repository:delete'],
  '*': ['repository:pull', 'repository:push', 'repository:delete'],
};

/** `library/hello/world` → `library`; null for names without a project part. */
export function projectOfRepository(name: string): string | null {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return null;
  return name.slice(0, slash);
}

export interface GrantContext {
  sysadmin: boolean;
  /** What the caller may do per project name; projects that do not exist are absent. */
  actionsByProject: ReadonlyMap<string, ReadonlySet<ProjectAction>>;
}

/**
 * Cuts the requested scopes down to what the caller may do, as Harbor's
 * token service does: each requested resource stays in the list (so the
 * registry sees it was asked for) with only the granted actions; unknown
 * resource types and projects get nothing.
 */
export function grantAccess(requested: ResourceActions[], context: GrantContext): ResourceActions[] {
  return requested.map((item) => ({ type: item.type, name: item.name, actions: grantedActions(item, context) }));
}

function grantedActions(item: ResourceActions, context: GrantContext): string[] {
  if (item.type === 'registry') {
    // Listing the whole catalog reveals every repository name: system admins only.
    return item.name === 'catalog' && context.sysadmin ? item.actions.filter((a) => a === '*') : [];
  }
  if (item.type !== 'repository') return [];
  const project = projectOfRepository(item.name);
  if (project === null) return [];
  const allowed = context.actionsByProject.get(project);
  if (!allowed) return [];
  return item.actions.filter((action) => {
    const needs = repositoryVerbs[action];
    return needs !== undefined && needs.every((permission) => allowed.has(permission));
  });
}

/** Project names the requested repository scopes refer to, to look them up at once. */
export function projectsNamedIn(requested: ResourceActions[]): string[] {
  const names = new Set<string>();
  for (const item of requested) {
    if (item.type !== 'repository') continue;
    const project = projectOfRepository(item.name);
    if (project !== null) names.add(project);
  }
  return [...names];
}
