import { createHmac, randomBytes } from 'node:crypto';

export interface VerificationCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Remembers, for a short while, that a password matched a stored hash, so a
 * docker client asking for a token on every layer does not pay the KDF each
 * time. Entries are keyed by an HMAC (with a per-process random key) of
 * username, password and stored hash: the plaintext is never kept, and a
 * password change (new stored hash) misses the cache by construction.
 * Bounded: the oldest entry goes first when full.
 */
export class VerificationCache {
  private readonly entries = new Map<string, number>();
  private readonly key = randomBytes(32);
  private readonly now: () => number;

  constructor(private readonly options: VerificationCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  remember(username: string, password: string, storedHash: string): void {
    if (this.options.maxEntries <= 0) return;
    const id = this.idOf(username, password, storedHash);
    this.entries.delete(id);
    this.entries.set(id, this.now() + this.options.ttlMs);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  recalls(username: string, password: string, storedHash: string): boolean {
    const id = this.idOf(username, password, storedHash);
    const expires = this.entries.get(id);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.entries.delete(id);
      return false;
    }
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private idOf(username: string, password: string, storedHash: string): string {
    // Length-prefixed so ("ab","c") and ("a","bc") never collide.
    const mac = createHmac('sha256', this.key);
    for (const part of [username, password, storedHash]) {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      mac.update(length).update(bytes);
    }
    return mac.digest('base64');
  }
}
