import { Role, RoleId } from './role';

/**
 * Harbor's RBAC, reduced to the resources core serves so far. An action is
 * `<resource>:<verb>`; the registry verbs (pull, push, delete, *) are the ones
 * the token service grants. New resources (artifact, tag, robot, …) extend the
 * list and the matrix below; the table-driven test walks every cell.
 */
export const projectActions = [
  'project:read',
  'project:update',
  'project:delete',
  'member:list',
  'member:read',
  'member:create',
  'member:update',
  'member:delete',
  'repository:pull',
  'repository:push',
  'repository:delete',
  'repository:*',
] as const;

export type ProjectAction = (typeof projectActions)[number];

const read: ProjectAction[] = ['project:read'];
const seeMembers: ProjectAction[] = ['member:list', 'member:read'];

/** What each role may do inside its project (Harbor's `rbac/project` policies). */
export const roleMatrix: Record<RoleId, ReadonlySet<ProjectAction>> = {
  // Harbor grants `*` on repositories only to project admins (and system admins).
  [Role.projectAdmin]: new Set(projectActions),
  [Role.maintainer]: new Set([...read, ...seeMembers, 'repository:pull', 'repository:push', 'repository:delete']),
  [Role.developer]: new Set([...read, ...seeMembers, 'repository:pull', 'repository:push']),
  [Role.guest]: new Set([...read, ...seeMembers, 'repository:pull']),
  [Role.limitedGuest]: new Set([...read, 'repository:pull']),
};

/** What anybody, signed in or not, may do on a public project. */
export const publicProjectActions: ReadonlySet<ProjectAction> = new Set(['project:read', 'repository:pull']);

export interface ProjectStanding {
  sysadmin: boolean;
  /** The caller's role ids in the project (several when groups come in). */
  roles: readonly number[];
  isPublic: boolean;
}

/** Everything the caller may do in one project: the union of all that applies. */
export function allowedActions(standing: ProjectStanding): Set<ProjectAction> {
  if (standing.sysadmin) return new Set(projectActions);
  const allowed = new Set<ProjectAction>(standing.isPublic ? publicProjectActions : []);
  for (const role of standing.roles) {
    for (const action of roleMatrix[role as RoleId] ?? []) allowed.add(action);
  }
  return allowed;
}

/** The role Harbor reports as `current_user_role_id`: the most powerful one held. */
export function highestRole(roles: readonly number[]): number {
  const rank: Record<number, number> = { [Role.projectAdmin]: 5, [Role.maintainer]: 4, [Role.developer]: 3, [Role.guest]: 2, [Role.limitedGuest]: 1 };
  let best = 0;
  for (const role of roles) if ((rank[role] ?? 0) > (rank[best] ?? 0)) best = role;
  return best;
}
