import { AppError } from '@harbor/errors';
import type { Caller } from '../domain/caller';
import type { UserRecord } from '../dao/user.dao';

/** Anonymous callers get 401 (log in and retry); signed-in callers without the right get 403. */
export function requireUser(caller: Caller): UserRecord {
  if (caller.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
  // Robots are authenticated but are not users: user-only operations are forbidden to them.
  if (caller.kind === 'robot') throw forbidden('forbidden: robot accounts cannot do this');
  return caller.user;
}

export function requireSysadmin(caller: Caller): UserRecord {
  const user = requireUser(caller);
  if (!user.sysadmin) throw forbidden();
  return user;
}

export function forbidden(message = 'forbidden: the caller is not allowed to do this'): AppError {
  return new AppError('FORBIDDEN', message);
}

export function denied(caller: Caller): AppError {
  return caller.kind !== 'anonymous' ? forbidden() : new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
}
