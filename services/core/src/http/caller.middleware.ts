import type { NextFunction, Request, Response } from 'express';
import { parseBasicAuth } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { Authenticator } from '../auth/authenticator';
import { anonymous, Caller, userCaller } from '../domain/caller';

/**
 * Works out who is calling and leaves it in `res.locals.caller`. No
 * Authorization header means anonymous; Basic credentials that do not match
 * are a 401 (never a silent downgrade to anonymous). Session cookies join here later.
 */
export function identifyCaller(authenticator: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.header('authorization');
    if (header === undefined || header === '') {
      res.locals.caller = anonymous;
      return next();
    }
    const credentials = parseBasicAuth(header);
    if (!credentials) throw new AppError('UNAUTHORIZED', 'unauthorized: unsupported or malformed Authorization header');
    const user = await authenticator.authenticate(credentials.username, credentials.password);
    if (!user) throw new AppError('UNAUTHORIZED', 'unauthorized: wrong username or password');
    res.locals.caller = userCaller(user);
    next();
  };
}

export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? anonymous;
}
