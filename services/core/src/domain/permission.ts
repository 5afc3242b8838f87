import { Role, RoleId } from './role';

/**
 * Harbor's RBAC: one source of truth for the API guards, the token service
 * and `GET /users/current/permissions`.
 *
 * An action is `<resource>:<verb>` with Harbor's resource and verb names,
 * except that the project itself (Harbor's "self" resource, the empty
 * sub-resource of `/project/<id>`) is called `project` here. The lists below
 * follow Harbor's per-role project policies and its system policies; features
 * this suite does not have (helm charts, scanners, retention, …) are kept so
 * `/users/current/permissions` answers what a Harbor portal expects.
 *
 * Notes for guards: Harbor's public-project policies have no
 * `repository:read`; reading one repository of a public project is covered by
 * `repository:list`. Deleting a repository or an artifact needs
 * `repository:delete` / `artifact:delete` (project admins and maintainers),
 * retagging `tag:create` (developers and up), removing a tag `tag:delete`.
 */

type Verbs = Partial<Record<string, string>>;

/** Role → resource → space-separated verbs. */
const rolePolicies: Record<RoleId, Verbs> = {
  [Role.projectAdmin]: {
    project: 'read update delete',
    member: 'create read update delete list',
    metadata: 'create read update delete',
    log: 'list',
    label: 'create read update delete list',
    quota: 'read',
    repository: 'create read update delete list pull push',
    'tag-retention': 'create read update delete list operate',
    'immutable-tag': 'create update delete list',
    'helm-chart': 'create read delete list',
    'helm-chart-version': 'create read delete list',
    'helm-chart-version-label': 'create delete',
    configuration: 'read update',
    robot: 'create read update delete list',
    'notification-policy': 'create read update delete list',
    scan: 'create read stop',
    scanner: 'create read',
    artifact: 'create read delete list',
    'artifact-addition': 'read',
    tag: 'create delete list',
    accessory: 'list',
    'artifact-label': 'create delete',
    'preheat-policy': 'create read update delete list',
  },
  [Role.maintainer]: {
    project: 'read',
    member: 'read list',
    metadata: 'create read update delete',
    log: 'list',
    label: 'create read update delete list',
    quota: 'read',
    repository: 'create read update delete list pull push',
    'tag-retention': 'create read update delete list operate',
    'immutable-tag': 'create update delete list',
    'helm-chart': 'create read delete list',
    'helm-chart-version': 'create read delete list',
    'helm-chart-version-label': 'create delete',
    configuration: 'read',
    robot: 'read list',
    'notification-policy': 'list',
    scan: 'create read stop',
    scanner: 'read',
    artifact: 'create read delete list',
    'artifact-addition': 'read',
    tag: 'create delete list',
    accessory: 'list',
    'artifact-label': 'create delete',
  },
  [Role.developer]: {
    project: 'read',
    member: 'read list',
    log: 'list',
    label: 'read list',
    quota: 'read',
    repository: 'create read update list pull push',
    'helm-chart': 'create read list',
    'helm-chart-version': 'create read list',
    'helm-chart-version-label': 'create delete',
    configuration: 'read',
    robot: 'read list',
    scan: 'read',
    scanner: 'read',
    artifact: 'create read list',
    'artifact-addition': 'read',
    tag: 'create list',
    accessory: 'list',
    'artifact-label': 'create delete',
  },
  [Role.guest]: {
    project: 'read',
    member: 'read list',
    log: 'list',
    label: 'read list',
    quota: 'read',
    repository: 'read list pull',
    'helm-chart': 'read list',
    'helm-chart-version': 'read list',
    configuration: 'read',
    robot: 'read list',
    scan: 'read',
    scanner: 'read',
    artifact: 'read list',
    'artifact-addition': 'read',
    tag: 'list',
    accessory: 'list',
  },
  [Role.limitedGuest]: {
    project: 'read',
    quota: 'read',
    repository: 'list pull',
    'helm-chart': 'read list',
    'helm-chart-version': 'read list',
    configuration: 'read',
    scan: 'read',
    scanner: 'read',
    artifact: 'read list',
    'artifact-addition': 'read',
    tag: 'list',
    accessory: 'list',
  },
};

/** What anybody, signed in or not, may do in a public project. */
const publicPolicies: Verbs = {
  project: 'read',
  label: 'read list',
  repository: 'list pull',
  'helm-chart': 'read list',
  'helm-chart-version': 'read list',
  scan: 'read',
  scanner: 'read',
  tag: 'list',
  artifact: 'read list',
  'artifact-addition': 'read',
};

/** What a system admin may do at system level (scope `/system`). */
const systemPolicies: Verbs = {
  catalog: 'read',
  'audit-log': 'list',
  project: 'create read update delete list',
  user: 'create read update delete list',
  'user-group': 'create read update delete list',
  registry: 'create read update delete list',
  replication: 'create read update delete list',
  distribution: 'create read update delete list',
  'garbage-collection': 'create read update delete list',
  'scan-all': 'create read update delete list stop',
  'system-volumes': 'read',
  'ldap-user': 'create list',
  configuration: 'read update',
};

function expand(policies: Verbs): string[] {
  return Object.entries(policies).flatMap(([resource, verbs]) => (verbs ?? '').split(' ').map((verb) => `${resource}:${verb}`));
}

function unionInOrder(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** Every project-level action any role holds (Harbor's "all policies" of a project namespace). */
export const projectActions: readonly string[] = unionInOrder([...Object.values(rolePolicies).map(expand), expand(publicPolicies)]);

/** `<resource>:<verb>`; a string so new features name their actions without a change here. */
export type ProjectAction = string;

/** What each role may do inside its project. */
export const roleMatrix: Record<RoleId, ReadonlySet<ProjectAction>> = Object.fromEntries(
  Object.entries(rolePolicies).map(([role, policies]) => [role, new Set(expand(policies))]),
) as unknown as Record<RoleId, ReadonlySet<ProjectAction>>;

export const publicProjectActions: ReadonlySet<ProjectAction> = new Set(expand(publicPolicies));

/** System-level actions; system admins hold all of them, other users none. */
export const systemActions: readonly string[] = expand(systemPolicies);

export function allowedSystemActions(sysadmin: boolean): Set<string> {
  return new Set(sysadmin ? systemActions : []);
}

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

/** Splits `repository:pull` into Harbor's `{resource, action}` pair. */
export function splitAction(action: ProjectAction): { resource: string; action: string } {
  const colon = action.lastIndexOf(':');
  return { resource: action.slice(0, colon), action: action.slice(colon + 1) };
}

/** The role Harbor reports as `current_user_role_id`: the most powerful one held. */
export function highestRole(roles: readonly number[]): number {
  const rank: Record<number, number> = { [Role.projectAdmin]: 5, [Role.maintainer]: 4, [Role.developer]: 3, [Role.guest]: 2, [Role.limitedGuest]: 1 };
  let best = 0;
  for (const role of roles) if ((rank[role] ?? 0) > (rank[best] ?? 0)) best = role;
  return best;
}
