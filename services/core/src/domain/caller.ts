import type { RobotRecord } from './robot';
import type { UserRecord } from './user';

/**
 * Who is making a request, as every controller sees it. Anonymous callers
 * are a real case (public projects, self-registration), not an error.
 * Robots are callers of their own kind: never system admins, never project
 * members, holding exactly the permissions listed on them.
 */
export type Caller = { kind: 'anonymous' } | { kind: 'user'; user: UserRecord } | { kind: 'robot'; robot: RobotRecord };

export const anonymous: Caller = { kind: 'anonymous' };

export function userCaller(user: UserRecord): Caller {
  return { kind: 'user', user };
}

export function robotCaller(robot: RobotRecord): Caller {
  return { kind: 'robot', robot };
}

export function isSysadmin(caller: Caller): boolean {
  return caller.kind === 'user' && caller.user.sysadmin;
}

export function userIdOf(caller: Caller): number | null {
  return caller.kind === 'user' ? caller.user.userId : null;
}
