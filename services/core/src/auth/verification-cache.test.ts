import { VerificationCache } from './verification-cache';

describe('the verification cache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('recalls a remembered verification until it expires', () => {
    const cache = new VerificationCache({ ttlMs: 100, maxEntries: 10, now: clock });
    cache.remember('alice', 'Passw0rd', 'hash-1');
    expect(cache.recalls('alice', 'Passw0rd', 'hash-1')).toBe(true);
    now += 101;
    expect(cache.recalls('alice', 'Passw0rd', 'hash-1')).toBe(false);
  });

  it('misses for another password, user or stored hash (a changed password)', () => {
    const cache = new VerificationCache({ ttlMs: 100, maxEntries: 10, now: clock });
    cache.remember('alice', 'Passw0rd', 'hash-1');
    expect(cache.recalls('alice', 'Passw0rdX', 'hash-1')).toBe(false);
    expect(cache.recalls('bob', 'Passw0rd', 'hash-1')).toBe(false);
    expect(cache.recalls('alice', 'Passw0rd', 'hash-2')).toBe(false);
  });

  it('does not confuse fields that concatenate the same way', () => {
    const cache = new VerificationCache({ ttlMs: 100, maxEntries: 10, now: clock });
    cache.remember('ab', 'c', 'h');
    expect(cache.recalls('a', 'bc', 'h')).toBe(false);
  });

  it('stays within its bound by dropping the oldest entries', () => {
    const cache = new VerificationCache({ ttlMs: 1000, maxEntries: 3, now: clock });
    for (const user of ['a', 'b', 'c', 'd']) cache.remember(user, 'Passw0rd', 'h');
    expect(cache.size).toBe(3);
    expect(cache.recalls('a', 'Passw0rd', 'h')).toBe(false);
    expect(cache.recalls('d', 'Passw0rd', 'h')).toBe(true);
  });

  it('never holds the plaintext password', () => {
    const cache = new VerificationCache({ ttlMs: 1000, maxEntries: 3, now: clock });
    cache.remember('alice', 'S3cretPassword', 'h');
    const entries = [...(cache as unknown as { entries: Map<string, number> }).entries.keys()];
    expect(entries.join('')).not.toContain('S3cretPassword');
  });
});
