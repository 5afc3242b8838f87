import { createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rsaKeyPair, tempDir, type TempDir } from '@harbor/testkit';
import { ensureSecrets } from './secrets';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('secrets', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('harbor-secrets-');
  });
  afterEach(() => dir.remove());

  it('creates the four secrets as 0600 files, with a matching 4096-bit RSA pair in PKCS#8/SPKI', async () => {
    const result = await ensureSecrets(dir.path);
    const { paths } = result;
    expect(result.changed.sort()).toEqual(Object.values(paths).sort());
    for (const path of Object.values(paths)) expect(mode(path)).toBe(0o600);
    expect(readFileSync(paths.secretKey, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(paths.internalSecret, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(paths.secretKey, 'utf8')).not.toBe(readFileSync(paths.internalSecret, 'utf8'));

    const privatePem = readFileSync(paths.privateKey, 'utf8');
    const publicPem = readFileSync(paths.publicKey, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPrivateKey(privatePem).asymmetricKeyDetails?.modulusLength).toBe(4096);
    const signature = createSign('sha256').update('token').sign(privatePem);
    expect(createVerify('sha256').update('token').verify(publicPem, signature)).toBe(true);
  }, 120_000);

  it('never regenerates existing secrets', async () => {
    const seeded = seed(dir.path);
    const result = await ensureSecrets(dir.path);
    expect(result.changed).toEqual([]);
    expect(result.unchanged).toHaveLength(4);
    expect(readFileSync(join(dir.path, 'secretkey'), 'utf8')).toBe(seeded.secretKey);
    expect(readFileSync(join(dir.path, 'token', 'private_key.pem'), 'utf8')).toBe(seeded.privateKey);
  });

  it('derives a missing public key from the existing private key', async () => {
    const seeded = seed(dir.path);
    rmSync(join(dir.path, 'token', 'public_key.pem'));
    const result = await ensureSecrets(dir.path);
    expect(result.changed).toEqual([join(dir.path, 'token', 'public_key.pem')]);
    const derived = readFileSync(join(dir.path, 'token', 'public_key.pem'), 'utf8');
    expect(createPublicKey(derived).export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(seeded.publicKey).export({ type: 'spki', format: 'der' }));
    expect(readFileSync(join(dir.path, 'token', 'private_key.pem'), 'utf8')).toBe(seeded.privateKey);
  });

  it('tightens a secret readable by others back to 0600', async () => {
    seed(dir.path);
    const path = join(dir.path, 'internal_secret');
    chmodSync(path, 0o644);
    const result = await ensureSecrets(dir.path);
    expect(result.changed).toEqual([path]);
    expect(mode(path)).toBe(0o600);
  });

  it('with dryRun reports what is missing and creates nothing', async () => {
    const result = await ensureSecrets(dir.path, { dryRun: true });
    expect(result.changed).toHaveLength(4);
    expect(() => statSync(join(dir.path, 'secretkey'))).toThrow();
  });
});

/** Pre-made secrets (a 2048-bit pair: generating 4096 bits takes seconds, and is tested once above). */
function seed(directory: string): { secretKey: string; privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = rsaKeyPair(2048);
  const secretKey = 'a'.repeat(64) + '\n';
  mkdirSync(join(directory, 'token'), { recursive: true });
  writeFileSync(join(directory, 'secretkey'), secretKey, { mode: 0o600 });
  writeFileSync(join(directory, 'internal_secret'), 'b'.repeat(64) + '\n', { mode: 0o600 });
  writeFileSync(join(directory, 'token', 'private_key.pem'), privateKey, { mode: 0o600 });
  writeFileSync(join(directory, 'token', 'public_key.pem'), publicKey, { mode: 0o600 });
  return { secretKey, privateKey, publicKey };
}
