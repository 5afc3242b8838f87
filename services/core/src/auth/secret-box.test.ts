import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(() => 'ab'.repeat(32));

  it('opens what it sealed, and never stores the plain text', () => {
    const sealed = box.seal('s3cret pässword');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('s3cret pässword');
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a value sealed with another key, an altered one and plain text', () => {
    const other = new SecretBox(() => 'cd'.repeat(32));
    const sealed = box.seal('password');
    expect(() => other.open(sealed)).toThrow();
    const raw = Buffer.from(sealed.slice('aes-256-gcm:'.length), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`aes-256-gcm:${raw.toString('base64')}`)).toThrow();
    expect(() => box.open('password')).toThrow('not a sealed value');
    expect(() => box.open('aes-256-gcm:AAAA')).toThrow('too short');
  });

  it('reads the key only when first needed', () => {
    let reads = 0;
    const lazy = new SecretBox(() => {
      reads++;
      return 'key';
    });
    expect(reads).toBe(0);
    lazy.open(lazy.seal('x'));
    lazy.seal('y');
    expect(reads).toBe(1);
  });
});
