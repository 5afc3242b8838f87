import { timingSafeEqual } from 'node:crypto';

/** Service-to-service calls carry `Authorization: Harbor-Secret <secret>`, as in Harbor. */
export const internalSecretScheme = 'Harbor-Secret';

export function internalAuthorization(secret: string): string {
  return `${internalSecretScheme} ${secret}`;
}

/**
 * Whether `given` is exactly `expected`, compared in constant time (a
 * secret's length is no secret). An empty `expected` matches nothing, so an
 * unset secret never lets anything through.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks an Authorization header against the shared secret. */
export function isInternalCall(authorization: string | undefined, secret: string): boolean {
  const prefix = `${internalSecretScheme} `;
  if (!authorization?.startsWith(prefix)) return false;
  return sameSecret(authorization.slice(prefix.length), secret);
}
