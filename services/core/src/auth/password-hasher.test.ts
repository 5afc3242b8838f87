import { ScryptPasswordHasher } from './password-hasher';

describe('the scrypt password hasher', () => {
  const hasher = new ScryptPasswordHasher({ N: 1 << 10, r: 8, p: 1 });

  it('stores the algorithm, cost, salt and hash in one documented string', async () => {
    const stored = await hasher.hash('Passw0rd');
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('Passw0rd');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('Passw0rd');
    await expect(hasher.verify('Passw0rd', stored)).resolves.toBe(true);
    await expect(hasher.verify('passw0rd', stored)).resolves.toBe(false);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    const [a, b] = await Promise.all([hasher.hash('Passw0rd'), hasher.hash('Passw0rd')]);
    expect(a).not.toBe(b);
  });

  it('verifies hashes made with another cost, read from the stored string', async () => {
    const stronger = new ScryptPasswordHasher({ N: 1 << 11, r: 8, p: 1 });
    const stored = await stronger.hash('Passw0rd');
    await expect(hasher.verify('Passw0rd', stored)).resolves.toBe(true);
  });

  it('uses a slow cost by default', async () => {
    const stored = await new ScryptPasswordHasher().hash('Passw0rd');
    expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
  });

  it.each([
    '',
    'plaintext',
    'scrypt$1024$8$1$c2FsdA==',
    'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==',
    'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==',
    'pbkdf2$1024$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==',
  ])('refuses to match against a malformed or absurd stored hash %j', async (stored) => {
    await expect(hasher.verify('Passw0rd', stored)).resolves.toBe(false);
  });
});
