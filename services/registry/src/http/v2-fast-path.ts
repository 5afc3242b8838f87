import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@harbor/logging';
import { matchRoute, RouteKind } from './routes';
import type { V2Dispatch } from './v2.router';

export interface V2FastPathOptions {
  /** The whole registry app: everything the fast path does not take. */
  app: Express;
  /** The same dispatch (name check, token, access, handler) the app's /v2 router uses. */
  dispatch: V2Dispatch;
  /** The app's own per-request middleware before /v2, run in the same order. */
  before: RequestHandler[];
  /** The app's error renderer. */
  renderError: ErrorRequestHandler;
  logger: Logger;
}

/**
 * The hot reads — manifest GET/HEAD and tags/list — and every step of a
 * blob upload (POST, PATCH, PUT, status, cancel) without Express's router:
 * its stack walk (every middleware and route layer tested against the path,
 * the /v2 mount rewriting the URL) was a sixth of the registry's CPU per
 * request. Upload bodies are read by the handlers as before (nothing here
 * touches them). Only the path shape is tested here; the route, the name
 * grammar, the token, access, Accept negotiation and the answer are exactly
 * the app's (same dispatch, same handlers, same error renderer, on a request
 * and response given Express's prototypes as Express itself does), so both
 * paths answer a request identically. Anything else, anything odd in the
 * path (parseurl would take another road), and every request while the
 * registry's own access line (debug) is on, goes to the app.
 */
export function withV2FastPath(options: V2FastPathOptions): V2FastPathListener {
  const { app, dispatch, before, renderError, logger } = options;
  const noop: NextFunction = () => undefined;
  const stats = { served: 0 };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    const method = req.method;
    if (method === undefined || !url.startsWith('/v2/')) return void app(req, res);
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (!hotPath.test(path)) return void app(req, res);
    const route = matchRoute(path.slice('/v2'.length));
    if (!route || !fastRoutes[route.kind]?.includes(method)) return void app(req, res);
    if (logger.isLevelEnabled('debug')) return void app(req, res);
    stats.served += 1;

    // What Express's app.handle and router do before a mounted middleware runs.
    const request = req as Request;
    const response = res as Response;
    request.res = response;
    response.req = request;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    response.locals = Object.create(null) as Response['locals'];
    request.originalUrl = url;
    request.baseUrl = '/v2';
    request.params = {};

    const fail = (err: unknown) => renderError(err, request, response, noop);
    try {
      for (const middleware of before) void middleware(request, response, noop);
      dispatch(request, response, route).catch(fail);
    } catch (err) {
      fail(err);
    }
  };
  return Object.assign(listener, { stats });
}

/** The server's request listener, counting the requests the fast path served (for tests and diagnostics). */
export type V2FastPathListener = RequestListener & { readonly stats: { readonly served: number } };

/** The routes and methods the fast path takes: the hot reads, and every step of a blob upload. */
const fastRoutes: Partial<Record<RouteKind, readonly string[]>> = {
  manifest: ['GET', 'HEAD'],
  tags: ['GET'],
  uploads: ['POST'],
  upload: ['GET', 'PATCH', 'PUT', 'DELETE'],
};

/**
 * `/v2/<name>/manifests/<reference>`, `/v2/<name>/tags/list` or
 * `/v2/<name>/blobs/uploads/[<uuid>]`, with nothing parseurl would treat
 * specially (whitespace, `#`) and no empty first component.
 */
const hotPath = /^\/v2\/[^/\s#][^\s#]*\/(?:manifests\/[^/\s#]+|tags\/list|blobs\/uploads\/[^/\s#]*)$/;
