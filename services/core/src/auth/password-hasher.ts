import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Turns passwords into stored hashes and checks them; a seam so tests can use a cheaper cost. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and roughly 50–100 ms per hash: slow for guessing, fine for logins. */
export const defaultScryptCost: ScryptCost = { N: 1 << 15, r: 8, p: 1 };

const keyLength = 32;
const saltLength = 16;

/**
 * scrypt with a random salt per hash. Stored format, one string:
 *   `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`
 * The cost is stored with the hash, so raising the default later keeps old
 * hashes verifiable.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: ScryptCost = defaultScryptCost) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(saltLength);
    const { N, r, p } = this.cost;
    const derived = await derive(password, salt, this.cost, keyLength);
    return ['scrypt', N, r, p, salt.toString('base64'), derived.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const derived = await derive(password, parsed.salt, parsed.cost, parsed.hash.length);
    return timingSafeEqual(derived, parsed.hash);
  }
}

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r, node's default (32 MiB) is exactly the default cost.
    const maxmem = 256 * cost.N * cost.r;
    scrypt(password.normalize('NFC'), salt, length, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,8}$/.test(x!) ? Number(x) : NaN)) as [number, number, number];
  // Refuse absurd parameters rather than let a bad row pin the CPU or the memory.
  if (!(N >= 2 && N <= 1 << 20 && (N & (N - 1)) === 0) || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { cost: { N, r, p }, salt, hash };
}
