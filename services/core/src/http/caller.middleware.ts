import type { NextFunction, Request, Response } from 'express';
import { parseBasicAuth, sameSecret } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';
import type { LoginGate } from '../auth/login-gate';
import type { Session, SessionStore } from '../auth/session.store';
import { anonymous, Caller, userCaller } from '../domain/caller';
import type { UserRecord } from '../domain/user';
import { clientAddress } from './client-address';
import { CookiePolicy, cookieOf, csrfHeader, sessionCookie, setCsrfCookie } from './cookies';

export interface CallerDeps {
  gate: LoginGate;
  sessions: SessionStore;
  users: { findById(userId: number): Promise<UserRecord | undefined> };
  cookies: CookiePolicy;
  logger: Logger;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Works out who is calling and leaves it in `res.locals.caller`, trying in
 * order: the portal's session cookie, Basic credentials (users and robots),
 * and otherwise anonymous. Basic credentials that do not match are a 401
 * (never a silent downgrade to anonymous); a stale or unknown session cookie
 * is simply no session.
 *
 * Cookie-authenticated writes must carry the session's CSRF token in
 * `X-Harbor-CSRF-Token` (403 otherwise, before any handler runs): a browser
 * sends the cookie on a forged cross-site request too, but a forger can
 * neither read the token nor set the header. Basic auth needs no token: a
 * browser never adds an Authorization header on its own.
 */
export function identifyCaller(deps: CallerDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const session = await liveSession(req, deps);
    if (session) {
      const user = await deps.users.findById(session.userId);
      if (user) {
        if (!safeMethods.has(req.method) && !sameSecret(req.header(csrfHeader), session.csrfToken)) {
          throw new AppError('FORBIDDEN', 'CSRF token invalid');
        }
        res.setHeader(csrfHeader, session.csrfToken);
        setCsrfCookie(res, deps.cookies, session.csrfToken);
        res.locals.caller = userCaller(user);
        return next();
      }
    }
    const header = req.header('authorization');
    if (header === undefined || header === '') {
      res.locals.caller = anonymous;
      return next();
    }
    const credentials = parseBasicAuth(header);
    if (!credentials) throw new AppError('UNAUTHORIZED', 'unauthorized: unsupported or malformed Authorization header');
    const caller = await deps.gate.login(credentials.username, credentials.password, clientAddress(req));
    if (!caller) throw new AppError('UNAUTHORIZED', 'unauthorized: wrong username or password');
    res.locals.caller = caller;
    next();
  };
}

async function liveSession(req: Request, deps: CallerDeps): Promise<Session | null> {
  const id = cookieOf(req, sessionCookie);
  if (id === undefined || id === '') return null;
  try {
    return await deps.sessions.touch(id);
  } catch (err) {
    // Redis away: sessions cannot be checked, the caller falls back to Basic or anonymous.
    deps.logger.warning(`session lookup failed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? anonymous;
}
