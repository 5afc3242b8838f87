import { timingSafeEqual } from 'node:crypto';

/** Service-to-service calls carry `Authorization: Harbor-Secret <secret>`, as in Harbor. */
export const internalSecretScheme = 'Harbor-Secret';

export function internalAuthorization(secret: string): string {
  return `${internalSecretScheme} ${secret}`;
}

/** Constant-time check of an Authorization header against the shared secret. */
export function isInternalCall(authorization: string | undefined, secret: string): boolean {
  if (!authorization || secret === '') return false;
  const prefix = `${internalSecretScheme} `;
  if (!authorization.startsWith(prefix)) return false;
  const given = Buffer.from(authorization.slice(prefix.length));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
