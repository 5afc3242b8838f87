import type { UserRecord } from './user';

/**
 * Who is making a request, as every controller sees it. Anonymous callers
 * are a real case (public projects, self-registration), not an error.
 * Robot accounts and session logins join this union later.
 */
export type Caller = { kind: 'anonymous' } | { kind: 'user'; user: UserRecord };

export const anonymous: Caller = { kind: 'anonymous' };

export function userCaller(user: UserRecord): Caller {
  return { kind: 'user', user };
}

export function isSysadmin(caller: Caller): boolean {
  return caller.kind === 'user' && caller.user.sysadmin;
}

export function userIdOf(caller: Caller): number | null {
  return caller.kind === 'user' ? caller.user.userId : null;
}
