/** Harbor's robot account vocabulary: levels, permission scopes and the `robot$` names. */

export type RobotLevel = 'system' | 'project';
export type AccessEffect = 'allow' | 'deny';

export interface RobotAccess {
  resource: string;
  action: string;
  effect: AccessEffect;
}

/** One scope of a robot's permissions: `kind` project with a project name (or `*`), or system with `/`. */
export interface RobotPermission {
  kind: 'system' | 'project';
  namespace: string;
  access: RobotAccess[];
}

export interface RobotRecord {
  id: number;
  /** The bare name, as given at creation. */
  name: string;
  description: string;
  /** Password hash of the secret; never leaves the service. */
  secretHash: string;
  /** 0 for system robots. */
  projectId: number;
  /** The owning project's name for project robots, null for system robots. */
  projectName: string | null;
  level: RobotLevel;
  /** Days; -1 = never expires. */
  duration: number;
  /** Unix seconds; -1 = never. */
  expiresAt: number;
  disabled: boolean;
  creatorType: string;
  creatorRef: number;
  creationTime: Date;
  updateTime: Date;
  permissions: RobotPermission[];
}

/** Harbor's prefix of every robot login name. */
export const robotPrefix = 'robot$';

/** `robot$<name>` for system robots, `robot$<project>+<name>` for project robots (Harbor's format). */
export function robotLoginName(robot: Pick<RobotRecord, 'name' | 'projectName'>): string {
  return robot.projectName === null ? `${robotPrefix}${robot.name}` : `${robotPrefix}${robot.projectName}+${robot.name}`;
}

/** Splits a login name back into project (null for system robots) and bare name; null when it is not a robot name. */
export function parseRobotLoginName(login: string): { projectName: string | null; name: string } | null {
  if (!login.startsWith(robotPrefix)) return null;
  const rest = login.slice(robotPrefix.length);
  const plus = rest.indexOf('+');
  if (plus < 0) return rest === '' ? null : { projectName: null, name: rest };
  const projectName = rest.slice(0, plus);
  const name = rest.slice(plus + 1);
  return projectName === '' || name === '' ? null : { projectName, name };
}

/** Harbor's robot name rule: lower-case words joined by single `.`, `_` or `-` (so no `$`, `+`, `/`). */
const robotNamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function robotNameProblem(name: string): string | null {
  if (name.length < 1 || name.length > 255) return 'the robot name must be 1 to 255 characters long';
  if (!robotNamePattern.test(name)) {
    return 'the robot name must be lower-case letters and digits, optionally separated by single ".", "_" or "-"';
  }
  return null;
}

/** Whether the robot may not log in now: disabled, or past its expiry. */
export function robotUnusable(robot: Pick<RobotRecord, 'disabled' | 'expiresAt'>, nowSeconds: number): string | null {
  if (robot.disabled) return 'the robot account is disabled';
  if (robot.expiresAt !== -1 && robot.expiresAt <= nowSeconds) return 'the robot account has expired';
  return null;
}

/** Expiry from a duration in days counted from the creation time; -1 stays -1 (never). */
export function expiryOf(creationTime: Date, durationDays: number): number {
  if (durationDays === -1) return -1;
  return Math.floor(creationTime.getTime() / 1000) + durationDays * 86_400;
}
