import type { NextFunction, Request, Response } from 'express';
import { AppError, fail } from '@harbor/errors';
import { isRepositoryName } from '@harbor/oci';
import { authenticationRequired, bearerToken, Caller, ChallengeOptions, hasAccess, RequiredAccess } from '../auth/access';
import type { TokenVerifier } from '../auth/token-verifier';
import { matchRoute, Route, RouteKind } from './routes';
import type { V2Handler } from './v2-context';

/** What an endpoint needs from the token; null means any valid token will do. */
type AccessRule = (route: Route) => RequiredAccess | null;

export interface Endpoint {
  access: AccessRule;
  handler: V2Handler;
}

export type EndpointTable = Record<RouteKind, Partial<Record<string, Endpoint>>>;

const repository =
  (...actions: string[]): AccessRule =>
  (route) => ({ type: 'repository', name: route.name, actions });

/** Docker asks for `pull,push` on every push path and expects the same scope back in the challenge. */
export const access = {
  anyToken: (() => null) as AccessRule,
  pull: repository('pull'),
  push: repository('pull', 'push'),
  delete: repository('delete'),
  catalog: (() => ({ type: 'registry', name: 'catalog', actions: ['*'] })) as AccessRule,
};

export interface V2RouterOptions {
  endpoints: EndpointTable;
  tokens: TokenVerifier;
  challenge: ChallengeOptions;
}

/** Serves one recognised /v2 route: checks the name, authenticates, authorises, hands over. */
export type V2Dispatch = (req: Request, res: Response, route: Route | null) => Promise<void>;

/**
 * Everything under /v2 after routing: check the name, authenticate,
 * authorise, then hand over. Every failure is an AppError, rendered once as
 * the OCI envelope. Shared by the Express router and the fast path.
 */
export function v2Dispatcher(options: V2RouterOptions): V2Dispatch {
  return async (req, res, route) => {
    if (!route) throw new AppError('UNSUPPORTED', 'the operation is unsupported', undefined, { status: 404 });
    if (route.kind !== 'base' && route.kind !== 'catalog' && !isRepositoryName(route.name)) {
      throw fail('NAME_INVALID', 'invalid repository name', { name: route.name });
    }
    const methods = options.endpoints[route.kind];
    const endpoint = methods[req.method];
    if (!endpoint) {
      throw new AppError('UNSUPPORTED', `${req.method} is not supported here`, undefined, {
        headers: { Allow: Object.keys(methods).join(', ') },
      });
    }
    const required = endpoint.access(route);
    const caller = authenticate(req, options, required);
    await endpoint.handler({ req, res, name: route.name, reference: route.reference, caller });
  };
}

/** Everything under /v2, mounted in Express: route by the path below the mount, then dispatch. */
export function v2Router(options: V2RouterOptions) {
  const dispatch = v2Dispatcher(options);
  return async (req: Request, res: Response, _next: NextFunction): Promise<void> => dispatch(req, res, matchRoute(req.path));
}

function authenticate(req: Request, options: V2RouterOptions, required: RequiredAccess | null): Caller {
  const token = bearerToken(req.header('authorization'));
  if (!token) throw authenticationRequired(options.challenge, required);
  let caller: Caller;
  try {
    const claims = options.tokens.verify(token);
    caller = { subject: claims.sub, access: claims.access };
  } catch {
    throw authenticationRequired(options.challenge, required);
  }
  if (required && !hasAccess(caller, required)) throw authenticationRequired(options.challenge, required);
  return caller;
}
