/**
 * `observed`: the hash sees exactly the bytes that reach the writer, in
 * order, without a stream in between; a body past its limit fails the
 * pipeline with the caller's error; with nothing to observe the body is
 * left alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { observed } from './streams';

function collector(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      // Asynchronous, as a file is: the source must wait for it.
      setImmediate(callback);
    },
  });
  return { sink, bytes: () => Buffer.concat(parts) };
}

function chunksOf(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

describe('observed', () => {
  it('shows the observer every byte that reaches the destination, in order', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const hash = createHash('sha256');
    const { sink, bytes } = collector();
    await pipeline(observed(Readable.from(chunksOf(data, 64 * 1024)), hash, 0, () => new Error('never')), sink);
    expect(bytes().equals(data)).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('fails the pipeline with the caller’s error once the body passes its limit', async () => {
    const body = new PassThrough();
    const seen: number[] = [];
    const { sink } = collector();
    const piping = pipeline(observed(body, { update: (c) => seen.push(c.length) }, 100, () => new Error('too large')), sink);
    body.write(Buffer.alloc(60));
    body.write(Buffer.alloc(40));
    body.write(Buffer.alloc(1));
    body.end();
    await expect(piping).rejects.toThrow('too large');
    // The chunk that crossed the limit was not hashed.
    expect(seen).toEqual([60, 40]);
  });

  it('takes a body of exactly the limit', async () => {
    const { sink, bytes } = collector();
    await pipeline(observed(Readable.from([Buffer.alloc(60, 1), Buffer.alloc(40, 2)]), undefined, 100, () => new Error('too large')), sink);
    expect(bytes().length).toBe(100);
  });

  it('leaves a body alone when there is nothing to observe or limit', () => {
    const body = new PassThrough();
    expect(observed(body, undefined, 0, () => new Error('never'))).toBe(body);
    expect(body.listenerCount('data')).toBe(0);
  });
});
