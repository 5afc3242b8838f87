import { signRegistryToken } from '@harbor/auth';
import { rsaKeyPair } from '@harbor/testkit';
import { TokenVerifier } from './token-verifier';

const keys = rsaKeyPair();
const base = { issuer: 'harbor-token-issuer', audience: 'harbor-registry' };
const sign = (expiresInSeconds = 300, subject = 'alice') =>
  signRegistryToken({ ...base, ...keys, subject, access: [], expiresInSeconds }).token;

describe('TokenVerifier', () => {
  it('verifies once and answers repeats from its cache until the cache age runs out', () => {
    let now = Date.now();
    const verifier = new TokenVerifier({ publicKey: keys.publicKey, ...base, maxAgeMs: 1_000, now: () => now });
    const token = sign();
    expect(verifier.verify(token).sub).toBe('alice');
    expect(verifier.size).toBe(1);
    now += 500;
    expect(verifier.verify(token).sub).toBe('alice');
    now += 1_000;
    expect(verifier.verify(token).sub).toBe('alice'); // re-verified, still valid
  });

  it('never trusts a cached token past its exp', () => {
    let now = Date.now();
    const verifier = new TokenVerifier({ publicKey: keys.publicKey, ...base, maxAgeMs: 3_600_000, now: () => now });
    const token = sign(10);
    verifier.verify(token);
    now += 16_000; // exp + the 5 s clock tolerance
    expect(() => verifier.verify(token)).toThrow(/expired/);
  });

  it('stays bounded, forgetting the oldest entries', () => {
    const verifier = new TokenVerifier({ publicKey: keys.publicKey, ...base, maxEntries: 3 });
    for (let i = 0; i < 5; i++) verifier.verify(sign(300, `user${i}`));
    expect(verifier.size).toBe(3);
  });

  it('does not cache failures', () => {
    const verifier = new TokenVerifier({ publicKey: keys.publicKey, ...base });
    const forged = signRegistryToken({ ...base, ...rsaKeyPair(), subject: 'mallory', access: [], expiresInSeconds: 300 }).token;
    expect(() => verifier.verify(forged)).toThrow(/invalid token/);
    expect(() => verifier.verify(forged)).toThrow(/invalid token/);
    expect(verifier.size).toBe(0);
    expect(() => verifier.verify('')).toThrow();
  });
});
