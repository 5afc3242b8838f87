import { canonicalPath } from './canonical-path';

/**
 * Where a request goes. `hidden` paths exist on an upstream but are for
 * service-to-service calls only (core's registry-event receiver, the
 * registry's internal API) and answer 404 from outside, as if absent.
 */
export type Route = 'registry' | 'core' | 'hidden';

export interface RouteDecision {
  route: Route;
  /** Which error envelope an answer from the proxy itself uses. */
  envelope: 'oci' | 'harbor';
  /** The canonical path the decision was taken on (for logs). */
  path: string;
}

export function decideRoute(target: string): RouteDecision {
  const path = canonicalPath(target);
  const lower = path.toLowerCase();
  if (lower.startsWith('/service/notifications') || lower === '/internal' || lower.startsWith('/internal/')) {
    return { route: 'hidden', envelope: 'harbor', path };
  }
  // The registry only serves /v2; anything else is core's (API, token, session login, portal).
  if (path === '/v2' || path.startsWith('/v2/')) return { route: 'registry', envelope: 'oci', path };
  return { route: 'core', envelope: 'harbor', path };
}
