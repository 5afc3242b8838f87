import { generateKeyPair, randomBytes, createPrivateKey, createPublicKey } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { secretPathsUnder, type SecretPaths } from './topology';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface SecretsResult {
  paths: SecretPaths;
  /** Files created, or with `dryRun` that would be (also files whose permissions were tightened). */
  changed: string[];
  unchanged: string[];
}

/**
 * Makes sure the suite's secrets exist under `directory` (harbor.cfg's
 * secretkey_path), each a 0600 file:
 *   secretkey              32 random bytes, hex: encrypts credentials at rest
 *   internal_secret        32 random bytes, hex: service-to-service auth
 *   token/private_key.pem  RSA 4096, PKCS#8 PEM: core signs registry tokens
 *   token/public_key.pem   SPKI PEM: the registry verifies them
 * Existing secrets are never regenerated — replacing them would lock out
 * encrypted credentials and invalidate issued tokens. A missing public key is
 * derived from the existing private key so the pair always matches.
 */
export async function ensureSecrets(directory: string, options: { dryRun?: boolean } = {}): Promise<SecretsResult> {
  const paths = secretPathsUnder(directory);
  const changed: string[] = [];
  const unchanged: string[] = [];
  const dryRun = options.dryRun ?? false;

  const put = async (path: string, content: string) => {
    changed.push(path);
    if (dryRun) return;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, content, { mode: 0o600 });
    await chmod(path, 0o600); // writeFile's mode is masked by umask and ignored for existing files
  };
  const keep = async (path: string) => {
    if (((await stat(path)).mode & 0o077) === 0) {
      unchanged.push(path);
      return;
    }
    changed.push(path);
    if (!dryRun) await chmod(path, 0o600);
  };

  for (const path of [paths.secretKey, paths.internalSecret]) {
    if (await exists(path)) await keep(path);
    else await put(path, `${randomBytes(32).toString('hex')}\n`);
  }

  if (await exists(paths.privateKey)) {
    await keep(paths.privateKey);
    if (await exists(paths.publicKey)) await keep(paths.publicKey);
    else await put(paths.publicKey, publicKeyOf(await readFile(paths.privateKey, 'utf8')));
  } else {
    const pair = dryRun ? { privateKey: '', publicKey: '' } : await newTokenKeyPair();
    await put(paths.privateKey, pair.privateKey);
    await put(paths.publicKey, pair.publicKey);
  }
  return { paths, changed, unchanged };
}

async function newTokenKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  return generateKeyPairAsync('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
