import { internalAuthorization, isInternalCall, sameSecret } from './internal-secret';

describe('sameSecret', () => {
  const secret = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

  it('matches only the exact secret', () => {
    expect(sameSecret(secret, secret)).toBe(true);
    for (const given of ['', secret.slice(1), `${secret}0`, ` ${secret}`, secret.toUpperCase(), 'é'.repeat(16)]) {
      expect(sameSecret(given, secret)).toBe(false);
    }
    expect(sameSecret(undefined, secret)).toBe(false);
  });

  it('lets nothing through when no secret is set, an empty value included', () => {
    expect(sameSecret('', '')).toBe(false);
    expect(sameSecret('anything', '')).toBe(false);
  });

  it('checks an Authorization header in the Harbor-Secret scheme', () => {
    expect(isInternalCall(internalAuthorization(secret), secret)).toBe(true);
    expect(isInternalCall(`Bearer ${secret}`, secret)).toBe(false);
    expect(isInternalCall(secret, secret)).toBe(false);
    expect(isInternalCall(undefined, secret)).toBe(false);
    expect(isInternalCall('Harbor-Secret ', '')).toBe(false);
  });
});
