import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '@harbor/errors';
import { keyIdOf } from './key-id';
import type { ResourceActions } from './scope';

/** The claims of a registry token, per the Docker token authentication spec. */
export interface RegistryTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: ResourceActions[];
}

export interface SignOptions {
  privateKey: string;
  publicKey: string;
  issuer: string;
  audience: string;
  subject: string;
  access: ResourceActions[];
  expiresInSeconds: number;
  now?: Date;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
  issuedAt: string;
  claims: RegistryTokenClaims;
}

/** Signs an RS256 registry token with a `kid` header the registry can match. */
export function signRegistryToken(options: SignOptions): IssuedToken {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: RegistryTokenClaims = {
    iss: options.issuer,
    sub: options.subject,
    aud: options.audience,
    // A little slack before now absorbs clock skew between the token service and registry hosts.
    nbf: now - 10,
    iat: now,
    exp: now + options.expiresInSeconds,
    jti: randomUUID(),
    access: options.access,
  };
  const token = jwt.sign(claims, options.privateKey, {
    algorithm: 'RS256',
    // `iat` comes from the claims above; jsonwebtoken keeps a given iat (noTimestamp would delete it).
    keyid: keyIdOf(options.publicKey),
  });
  return { token, expiresIn: options.expiresInSeconds, issuedAt: new Date(now * 1000).toISOString(), claims };
}

export interface VerifyOptions {
  publicKey: string;
  issuer: string;
  audience: string;
  now?: Date;
}

/**
 * Verifies signature (RS256 only: `none` and HMAC tricks are refused), issuer,
 * audience and time window; answers UNAUTHORIZED as data, never throws raw.
 */
export function verifyRegistryToken(token: string, options: VerifyOptions): RegistryTokenClaims {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, options.publicKey, {
      algorithms: ['RS256'],
      issuer: options.issuer,
      audience: options.audience,
      clockTimestamp: options.now ? Math.floor(options.now.getTime() / 1000) : undefined,
      clockTolerance: 5,
    });
  } catch (err) {
    throw new AppError('UNAUTHORIZED', `invalid token: ${(err as Error).message}`);
  }
  if (!isClaims(decoded)) throw new AppError('UNAUTHORIZED', 'invalid token: malformed claims');
  return decoded;
}

function isClaims(value: unknown): value is RegistryTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.sub !== 'string' || !Array.isArray(v.access)) return false;
  return v.access.every(
    (a: unknown) =>
      typeof a === 'object' && a !== null &&
      typeof (a as ResourceActions).type === 'string' &&
      typeof (a as ResourceActions).name === 'string' &&
      Array.isArray((a as ResourceActions).actions) &&
      (a as ResourceActions).actions.every((x) => typeof x === 'string'),
  );
}
