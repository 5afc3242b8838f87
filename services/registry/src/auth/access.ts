import { allows, ResourceActions } from '@harbor/auth';
import { AppError } from '@harbor/errors';

/** What a request needs from the token: `actions` on `type:name`, or merely a valid token. */
export interface RequiredAccess {
  type: 'repository' | 'registry';
  name: string;
  actions: string[];
}

/** Who is calling, as the token says. */
export interface Caller {
  /** The token's `sub`; empty for anonymous pulls. */
  subject: string;
  access: ResourceActions[];
}

export interface ChallengeOptions {
  realm: string;
  service: string;
}

export function hasAccess(caller: Caller, required: RequiredAccess): boolean {
  return required.actions.every((action) => allows(caller.access, required.type, required.name, action));
}

/**
 * The 401 every Docker-compatible client understands: it sends the client to
 * the token service for a token with exactly this scope. It is used both when
 * no token came and when the token lacks an action, because clients treat a
 * 401 as "fetch a new token" and a 403 as final.
 */
export function authenticationRequired(options: ChallengeOptions, required: RequiredAccess | null): AppError {
  let challenge = `Bearer realm="${options.realm}",service="${options.service}"`;
  let detail: unknown;
  if (required) {
    challenge += `,scope="${required.type}:${required.name}:${required.actions.join(',')}"`;
    detail = required.actions.map((action) => ({ Type: required.type, Name: required.name, Action: action }));
  }
  return new AppError('UNAUTHORIZED', 'authentication required', detail, { headers: { 'WWW-Authenticate': challenge } });
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
