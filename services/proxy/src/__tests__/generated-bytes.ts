/**
 * Deterministic test bodies, cheap to produce and to check: chunk i of
 * `size` bytes is filled with i mod 251.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** `total` bytes as a stream of `size`-byte chunks. */
export function generated(total: number, size = 256 * 1024): Readable {
  let sent = 0;
  let index = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(size, total - sent);
      sent += n;
      this.push(Buffer.alloc(n, index++ % 251));
    },
  });
}

/** The same bytes in one buffer. */
export function generatedBytes(total: number): Buffer {
  const chunks: Buffer[] = [];
  const source = generated(total);
  for (let chunk = source.read() as Buffer | null; chunk; chunk = source.read() as Buffer | null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Their sha256 (hex), after `prefix`. */
export function generatedSha(total: number, size = 256 * 1024, prefix = Buffer.alloc(0)): string {
  const hash = createHash('sha256').update(prefix);
  let index = 0;
  for (let sent = 0; sent < total; sent += size) hash.update(Buffer.alloc(Math.min(size, total - sent), index++ % 251));
  return hash.digest('hex');
}
