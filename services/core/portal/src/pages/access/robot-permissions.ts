import type { RobotAccess, RobotPermission } from '../../api/robot.api';

/**
 * The mapping between what the permission picker shows (ticked
 * `resource:action` keys) and the `permissions` body of Harbor's robot API.
 * Plain functions, so both the project robots tab and the system robots page
 * (which covers several projects with the same ticks) build the same bodies.
 */

/** One row of the picker: a resource and the actions Harbor offers a robot on it. */
export interface PermissionGroup {
  resource: string;
  actions: string[];
}

/**
 * What Harbor offers a robot inside a project, resource by resource (the
 * project-level policies of Harbor's RBAC that make sense for a machine).
 * The first rows are what registry clients use: pull and push, artifacts, tags.
 */
export const projectRobotOptions: PermissionGroup[] = [
  { resource: 'repository', actions: ['pull', 'push', 'list', 'read', 'update', 'delete'] },
  { resource: 'artifact', actions: ['read', 'list', 'create', 'delete'] },
  { resource: 'tag', actions: ['list', 'create', 'delete'] },
  { resource: 'artifact-label', actions: ['create', 'delete'] },
  { resource: 'accessory', actions: ['list'] },
  { resource: 'artifact-addition', actions: ['read'] },
  { resource: 'scan', actions: ['read', 'create', 'stop'] },
  { resource: 'helm-chart', actions: ['read', 'list', 'create', 'delete'] },
  { resource: 'helm-chart-version', actions: ['read', 'list', 'create', 'delete'] },
  { resource: 'label', actions: ['read', 'list', 'create', 'update', 'delete'] },
  { resource: 'immutable-tag', actions: ['list', 'create', 'update', 'delete'] },
  { resource: 'tag-retention', actions: ['read', 'list', 'create', 'update', 'delete', 'operate'] },
  { resource: 'notification-policy', actions: ['read', 'list', 'create', 'update', 'delete'] },
  { resource: 'preheat-policy', actions: ['read', 'list', 'create', 'update', 'delete'] },
  { resource: 'metadata', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'log', actions: ['list'] },
  { resource: 'project', actions: ['read'] },
  { resource: 'quota', actions: ['read'] },
];

/** The ticks a new robot starts with: pull only. */
export const defaultRobotSelection: string[] = ['repository:pull'];

export function accessKey(resource: string, action: string): string {
  return `${resource}:${action}`;
}

function splitKey(key: string): RobotAccess {
  const colon = key.lastIndexOf(':');
  return { resource: key.slice(0, colon), action: key.slice(colon + 1) };
}

/** Every key the options offer, in their order. */
export function optionKeys(options: PermissionGroup[] = projectRobotOptions): string[] {
  return options.flatMap((group) => group.actions.map((action) => accessKey(group.resource, action)));
}

/**
 * What one scope's access list looks like in the picker: the ticked keys
 * (a `*` resource or action ticks every option it covers) and the entries
 * the picker cannot show (denials, pairs it does not offer), kept aside so a
 * save does not silently drop them.
 */
export function selectionFromAccess(access: RobotAccess[], options: PermissionGroup[] = projectRobotOptions): { selected: string[]; kept: RobotAccess[] } {
  const offered = optionKeys(options);
  const ticked = new Set<string>();
  const kept: RobotAccess[] = [];
  for (const entry of access) {
    if (entry.effect === 'deny') {
      kept.push(entry);
      continue;
    }
    const matches = offered.filter((key) => {
      const { resource, action } = splitKey(key);
      return (entry.resource === '*' || entry.resource === resource) && (entry.action === '*' || entry.action === action);
    });
    // A wildcard becomes the ticks it covers (kept aside it would grant again what gets unticked); one covering no option is kept.
    if (matches.length === 0) kept.push(entry);
    matches.forEach((key) => ticked.add(key));
  }
  return { selected: offered.filter((key) => ticked.has(key)), kept };
}

/** The access list for the ticked keys, in the options' order, then the entries kept aside. */
export function accessFromSelection(selected: readonly string[], kept: RobotAccess[] = [], options: PermissionGroup[] = projectRobotOptions): RobotAccess[] {
  const wanted = new Set(selected);
  const offered = optionKeys(options);
  const known = offered.filter((key) => wanted.has(key));
  const unknown = selected.filter((key) => !offered.includes(key));
  return [...[...known, ...unknown].map((key) => ({ ...splitKey(key), effect: 'allow' as const })), ...kept];
}

/** A project robot's body: one scope, kind `project`, its project's name. */
export function projectRobotPermissions(projectName: string, access: RobotAccess[]): RobotPermission[] {
  return [{ kind: 'project', namespace: projectName, access }];
}

/**
 * A system robot's body: the same access in each project it covers (`*` for
 * every project), plus any kind-`system` scopes it already had.
 */
export function systemRobotPermissions(namespaces: readonly string[], access: RobotAccess[], systemScopes: RobotPermission[] = []): RobotPermission[] {
  const unique = [...new Set(namespaces)];
  const projects = unique.includes('*') ? ['*'] : unique;
  return [...projects.map((namespace) => ({ kind: 'project' as const, namespace, access })), ...systemScopes.filter((scope) => scope.kind === 'system')];
}

/** What an existing robot looks like in the dialog: which projects, which ticks, and what is kept aside. */
export interface RobotScopes {
  /** The project names of its kind-`project` scopes (`*` = all projects). */
  namespaces: string[];
  selected: string[];
  kept: RobotAccess[];
  /** Kind-`system` scopes, passed through untouched. */
  systemScopes: RobotPermission[];
  /** True when its projects had different access lists: the ticks show them all, and a save gives each project all of them. */
  mixed: boolean;
}

export function scopesOfRobot(permissions: RobotPermission[], options: PermissionGroup[] = projectRobotOptions): RobotScopes {
  const projectScopes = permissions.filter((scope) => scope.kind === 'project');
  const selected = new Set<string>();
  const kept = new Map<string, RobotAccess>();
  const shapes = new Set<string>();
  for (const scope of projectScopes) {
    const one = selectionFromAccess(scope.access, options);
    one.selected.forEach((key) => selected.add(key));
    one.kept.forEach((entry) => kept.set(`${entry.effect ?? 'allow'}:${entry.resource}:${entry.action}`, entry));
    shapes.add([...one.selected].sort().join() + '|' + one.kept.map((e) => `${e.effect ?? 'allow'}:${e.resource}:${e.action}`).sort().join());
  }
  return {
    namespaces: projectScopes.map((scope) => scope.namespace),
    selected: optionKeys(options).filter((key) => selected.has(key)),
    kept: [...kept.values()],
    systemScopes: permissions.filter((scope) => scope.kind === 'system'),
    mixed: shapes.size > 1,
  };
}
