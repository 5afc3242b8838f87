import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';

/** Paths that belong to the API, the token service and the registry: never answered with the portal's page. */
const serverPaths = /^\/(?:api|c|service|v2)(?:\/|$)/;
const oneYearSeconds = 365 * 24 * 60 * 60;

/** Whether `directory` holds a built portal (`index.html`), so core can serve it. */
export function hasPortal(directory: string): boolean {
  return existsSync(join(directory, 'index.html'));
}

/**
 * Serves the built portal (`services/core/portal/dist`):
 * - `/assets/*` are content-hashed by the build, so they never change under
 *   their name: cached for a year and marked immutable;
 * - `index.html` names the current assets, so browsers revalidate it every time;
 * - any other GET that wants HTML is a client-side route (a deep link or a
 *   reload): it gets `index.html`, and the app's router takes over.
 * API paths fall through to core's own handlers and 404.
 */
export function portal(directory: string): Router {
  const root = resolve(directory);
  const router = Router();
  router.use(
    '/assets',
    express.static(join(root, 'assets'), {
      index: false,
      immutable: true,
      maxAge: oneYearSeconds * 1000,
    }),
  );
  // A missing asset is core's 404, never the page (a script answered with HTML fails obscurely).
  router.use('/assets', (_req: Request, _res: Response, next: NextFunction) => next('router'));
  router.use(
    express.static(root, {
      index: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || serverPaths.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root }, (err) => err && next(err));
  });
  return router;
}
