import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const prefix = 'aes-256-gcm:';
const ivBytes = 12;
const tagBytes = 16;

/**
 * Encrypts credentials kept in the database (the LDAP search password) with
 * the suite's secret key (prepare's `secretkey`), as the design asks of
 * credentials at rest: AES-256-GCM, a fresh nonce per value, so a changed or
 * swapped ciphertext fails to open instead of decrypting to garbage.
 * The key is the SHA-256 of the key file's text, whatever its format.
 */
export class SecretBox {
  private key: Buffer | undefined;

  /** `readKey` runs on first use: core starts even where no secret is ever stored. */
  constructor(private readonly readKey: () => string) {}

  seal(plain: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain text; throws when the value was not sealed with this key or was altered. */
  open(sealed: string): string {
    if (!sealed.startsWith(prefix)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(prefix.length), 'base64');
    if (raw.length < ivBytes + tagBytes) throw new Error('sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), raw.subarray(0, ivBytes));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
  }

  private keyBytes(): Buffer {
    this.key ??= createHash('sha256').update(this.readKey().trim(), 'utf8').digest();
    return this.key;
  }
}
