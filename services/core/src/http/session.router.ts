import express, { Router } from 'express';
import { AppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';
import type { LoginGate } from '../auth/login-gate';
import type { SessionStore } from '../auth/session.store';
import { clientAddress } from './client-address';
import { clearSessionCookies, CookiePolicy, cookieOf, csrfHeader, sessionCookie, setCsrfCookie, setSessionCookie } from './cookies';
import { methodNotAllowed } from './method-not-allowed';

/**
 * The portal's login and logout, as Harbor's portal calls them:
 * `POST /c/login` with a form (`principal`, `password`) answers 200 and
 * sets the `sid` session cookie plus the CSRF token (cookie `__csrf` and
 * header `X-Harbor-CSRF-Token`); `GET /c/log_out` ends the session.
 */
export function sessionRouter(gate: LoginGate, sessions: SessionStore, cookies: CookiePolicy, logger: Logger): Router {
  const router = Router();
  router
    .route('/c/login')
    .post(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), async (req, res) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const principal = form.principal;
      const password = form.password;
      if (typeof principal !== 'string' || typeof password !== 'string' || principal === '' || password === '') {
        throw new AppError('BAD_REQUEST', 'principal and password are required (form-encoded)');
      }
      const caller = await gate.login(principal, password, clientAddress(req));
      // Robots are for scripts and registry clients; the portal is for people.
      if (!caller || caller.kind !== 'user') throw new AppError('UNAUTHORIZED', 'unauthorized: wrong username or password');
      // A fresh id at every login: a session id planted before login is worth nothing after it.
      const previous = cookieOf(req, sessionCookie);
      if (previous) await sessions.destroy(previous).catch(() => undefined);
      const session = await sessions.create(caller.user.userId).catch((err: unknown) => {
        logger.warning(`cannot store session: ${err instanceof Error ? err.message : String(err)}`);
        throw new AppError('SERVICE_UNAVAILABLE', 'the session store is unavailable');
      });
      setSessionCookie(res, cookies, session.id);
      setCsrfCookie(res, cookies, session.csrfToken);
      res.setHeader(csrfHeader, session.csrfToken);
      res.setHeader('Cache-Control', 'no-store');
      res.status(200).end();
    })
    .all(methodNotAllowed);
  router
    .route('/c/log_out')
    .get(async (req, res) => {
      const id = cookieOf(req, sessionCookie);
      if (id) await sessions.destroy(id).catch(() => undefined);
      clearSessionCookies(res, cookies);
      res.status(200).end();
    })
    .all(methodNotAllowed);
  return router;
}
