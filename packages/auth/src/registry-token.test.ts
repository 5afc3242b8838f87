import jwt from 'jsonwebtoken';
import { rsaKeyPair } from '@harbor/testkit';
import { keyIdOf } from './key-id';
import { signRegistryToken, verifyRegistryToken } from './registry-token';

const keys = rsaKeyPair();
const other = rsaKeyPair();
const base = { issuer: 'harbor-token-issuer', audience: 'harbor-registry' };

function issue(overrides: Partial<Parameters<typeof signRegistryToken>[0]> = {}) {
  return signRegistryToken({
    ...base,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    subject: 'alice',
    access: [{ type: 'repository', name: 'library/hello', actions: ['pull', 'push'] }],
    expiresInSeconds: 1800,
    ...overrides,
  });
}

describe('registry tokens', () => {
  it('carries the Docker token claims and an RS256 header with the libtrust kid', () => {
    const { token, claims } = issue();
    const header = jwt.decode(token, { complete: true })!.header;
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBe(keyIdOf(keys.publicKey));
    expect(header.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(claims.exp - claims.iat).toBe(1800);
    const signed = jwt.decode(token) as Record<string, unknown>;
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'access']) expect(signed).toHaveProperty(claim);
    expect(signed.iat).toBe(claims.iat);
    const verified = verifyRegistryToken(token, { ...base, publicKey: keys.publicKey });
    expect(verified.sub).toBe('alice');
    expect(verified.access).toEqual([{ type: 'repository', name: 'library/hello', actions: ['pull', 'push'] }]);
    expect(typeof verified.jti).toBe('string');
  });

  it('refuses a token signed by another key', () => {
    const forged = issue({ privateKey: other.privateKey, publicKey: other.publicKey }).token;
    expect(() => verifyRegistryToken(forged, { ...base, publicKey: keys.publicKey })).toThrow(/invalid token/);
  });

  it('refuses an expired token', () => {
    const { token } = issue({ now: new Date(Date.now() - 3600_000), expiresInSeconds: 60 });
    expect(() => verifyRegistryToken(token, { ...base, publicKey: keys.publicKey })).toThrow(/expired/);
  });

  it('refuses alg=none and HMAC tokens signed with the public key', () => {
    const payload = { ...issue().claims };
    const none = jwt.sign(payload, '', { algorithm: 'none' });
    const hmac = jwt.sign(payload, keys.publicKey, { algorithm: 'HS256' });
    for (const token of [none, hmac]) {
      expect(() => verifyRegistryToken(token, { ...base, publicKey: keys.publicKey })).toThrow(/invalid token/);
    }
  });

  it('refuses a token for another audience or issuer', () => {
    const { token } = issue({ audience: 'someone-else' });
    expect(() => verifyRegistryToken(token, { ...base, publicKey: keys.publicKey })).toThrow(/audience/);
    const { token: t2 } = issue({ issuer: 'mallory' });
    expect(() => verifyRegistryToken(t2, { ...base, publicKey: keys.publicKey })).toThrow(/issuer/);
  });
});
