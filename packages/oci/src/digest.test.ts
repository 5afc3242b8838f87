import { createHash } from 'node:crypto';
import { Digester, digestOf, isDigest, looksLikeDigest, parseDigest } from './digest';

const sha256Hex = createHash('sha256').update('hello').digest('hex');
const sha512Hex = createHash('sha512').update('hello').digest('hex');

describe('digest parsing', () => {
  it('accepts sha256 and sha512 digests with their exact hex length', () => {
    expect(parseDigest(`sha256:${sha256Hex}`)).toEqual({ algorithm: 'sha256', encoded: sha256Hex, digest: `sha256:${sha256Hex}` });
    expect(parseDigest(`sha512:${sha512Hex}`)?.algorithm).toBe('sha512');
  });

  it('refuses uppercase hex, wrong lengths, missing parts and unknown algorithms', () => {
    for (const bad of [
      `sha256:${sha256Hex.toUpperCase()}`,
      `sha256:${sha256Hex.slice(1)}`,
      `sha256:${sha256Hex}0`,
      `sha512:${sha256Hex}`,
      `sha256:`,
      `:${sha256Hex}`,
      sha256Hex,
      `md5:${'a'.repeat(32)}`,
      `sha256:${sha256Hex}/../x`,
      `SHA256:${sha256Hex}`,
    ]) {
      expect([bad, isDigest(bad)]).toEqual([bad, false]);
    }
  });

  it('tells a digest-shaped reference from a tag', () => {
    expect(looksLikeDigest(`sha256:${sha256Hex}`)).toBe(true);
    expect(looksLikeDigest('md5:abc')).toBe(true);
    expect(looksLikeDigest('latest')).toBe(false);
  });
});

describe('hashing', () => {
  it('gives the same digest incrementally as in one go', () => {
    const digester = new Digester('sha256');
    digester.update(Buffer.from('hel'));
    digester.update(Buffer.from('lo'));
    expect(digester.size).toBe(5);
    expect(digester.digest()).toBe(`sha256:${sha256Hex}`);
    expect(digestOf('hello', 'sha512')).toBe(`sha512:${sha512Hex}`);
  });
});
