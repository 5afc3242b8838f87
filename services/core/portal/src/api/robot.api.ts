import { request, requestJson } from './http';
import { fuzzyQ, listParams, Page, pageOf, PageQuery } from './page';

/** Harbor's `Access`: one resource/action pair of a permission scope. */
export interface RobotAccess {
  resource: string;
  action: string;
  effect?: 'allow' | 'deny';
}

/**
 * Harbor's `RobotPermission`: a project robot has one scope (kind `project`,
 * its project's name); a system robot one per project it covers (or `*` for
 * all of them), and possibly kind `system` with namespace `/`.
 */
export interface RobotPermission {
  kind: 'project' | 'system';
  namespace: string;
  access: RobotAccess[];
}

export type RobotLevel = 'project' | 'system';

/** Harbor's `Robot` (the fields the portal reads). The secret is never part of it. */
export interface Robot {
  id: number;
  /** The login name: `robot$<project>+<name>` or `robot$<name>`. */
  name: string;
  description: string;
  level: RobotLevel;
  /** Days; -1 = never expires. */
  duration: number;
  disable: boolean;
  /** Unix seconds; -1 = never. */
  expires_at: number;
  permissions: RobotPermission[];
  creation_time: string;
  update_time: string;
}

/** Harbor's `RobotCreated` and, for a refresh, the secret alone: the only answers that carry a secret. */
export interface RobotCreated {
  id: number;
  name: string;
  secret: string;
  expires_at: number;
}

export interface RobotListQuery extends PageQuery {
  level: RobotLevel;
  /** A project's robots; required for project robots unless the caller is a system admin. */
  projectId?: number;
  /** Fuzzy name match; empty lists everything. */
  name?: string;
}

/** `q` as Harbor's own portal writes it: `Level=project,ProjectID=3`, plus `name=~…` when searching. */
export function robotQuery(query: Pick<RobotListQuery, 'level' | 'projectId' | 'name'>): string {
  const terms = [`Level=${query.level}`];
  if (query.projectId !== undefined) terms.push(`ProjectID=${query.projectId}`);
  const name = fuzzyQ('name', query.name);
  if (name) terms.push(name);
  return terms.join(',');
}

export async function listRobots(query: RobotListQuery): Promise<Page<Robot>> {
  return pageOf<Robot>(await request(`/api/v2.0/robots?${listParams(query, { q: robotQuery(query) })}`));
}

/** Harbor's `RobotCreate`. */
export interface NewRobot {
  name: string;
  description: string;
  level: RobotLevel;
  /** Days; -1 = never expires. */
  duration: number;
  permissions: RobotPermission[];
}

export function createRobot(robot: NewRobot): Promise<RobotCreated> {
  return requestJson<RobotCreated>('/api/v2.0/robots', {
    method: 'POST',
    json: { name: robot.name, description: robot.description, level: robot.level, duration: robot.duration, disable: false, permissions: robot.permissions },
  });
}

export interface RobotChanges {
  description?: string;
  duration?: number;
  disable?: boolean;
  permissions?: RobotPermission[];
}

/** PUT takes the whole `Robot`: the robot as read, with the changes laid over it. */
export async function updateRobot(robot: Robot, changes: RobotChanges): Promise<void> {
  await request(`/api/v2.0/robots/${robot.id}`, {
    method: 'PUT',
    json: {
      name: robot.name,
      description: changes.description ?? robot.description,
      level: robot.level,
      duration: changes.duration ?? robot.duration,
      disable: changes.disable ?? robot.disable,
      permissions: changes.permissions ?? robot.permissions,
    },
  });
}

export function setRobotDisabled(robot: Robot, disabled: boolean): Promise<void> {
  return updateRobot(robot, { disable: disabled });
}

/** A new secret (the server makes one unless `secret` is given); the answer is the only time it is shown. */
export async function refreshRobotSecret(id: number, secret?: string): Promise<string> {
  const body = await requestJson<{ secret: string }>(`/api/v2.0/robots/${id}`, { method: 'PATCH', json: secret ? { secret } : {} });
  return body.secret;
}

export async function deleteRobot(id: number): Promise<void> {
  await request(`/api/v2.0/robots/${id}`, { method: 'DELETE' });
}

/** Harbor's robot name rule (lower-case words joined by single `.`, `_` or `-`); the server checks it again. */
export function validRobotName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name);
}
