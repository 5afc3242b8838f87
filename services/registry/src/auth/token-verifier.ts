import { createHash } from 'node:crypto';
import { AppError } from '@harbor/errors';
import { RegistryTokenClaims, verifyRegistryToken } from '@harbor/auth';

export interface TokenVerifierOptions {
  publicKey: string;
  issuer: string;
  audience: string;
  /** How many verified tokens to remember (oldest forgotten first). */
  maxEntries?: number;
  /** How long a verified token is trusted without re-checking its signature; never past `exp`. */
  maxAgeMs?: number;
  now?: () => number;
}

/** Tokens longer than this are refused before any crypto (core's are about 1 KiB). */
const maxTokenLength = 16 * 1024;

interface Entry {
  claims: RegistryTokenClaims;
  until: number;
}

/**
 * Verifies registry tokens and remembers the good ones for a short while: a
 * `docker push` sends the same token on dozens of requests, and RSA
 * verification is by far the most expensive thing on the manifest hot path.
 * Failures are never cached, so a forged token is checked (and refused) every time.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  verify(token: string): RegistryTokenClaims {
    if (token.length === 0 || token.length > maxTokenLength) throw new AppError('UNAUTHORIZED', 'invalid token');
    const key = createHash('sha256').update(token).digest('base64');
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached) {
      if (cached.until > now) return cached.claims;
      this.cache.delete(key);
    }
    const claims = verifyRegistryToken(token, {
      publicKey: this.options.publicKey,
      issuer: this.options.issuer,
      audience: this.options.audience,
      now: new Date(now),
    });
    const until = Math.min(claims.exp * 1000, now + this.maxAgeMs);
    if (this.cache.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { claims, until });
    return claims;
  }

  /** Entries currently remembered (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }
}
