/**
 * StreamHashing: the running hash is used only when it saw exactly the
 * stored bytes with the algorithm asked; anything else re-reads the upload
 * from storage, and fewer stored bytes than asked is an error.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { tempDir, TempDir } from '@harbor/testkit';
import { FilesystemDriver } from '../storage/filesystem.driver';
import { uploadDataPath } from '../storage/layout';
import { StreamHashing } from './stream-hashing';

let dir: TempDir;
let storage: FilesystemDriver;

beforeEach(() => {
  dir = tempDir('harbor-stream-hashing-');
  storage = new FilesystemDriver(dir.path);
});
afterEach(() => dir.remove());

const sha256 = (content: Buffer) => `sha256:${createHash('sha256').update(content).digest('hex')}`;

describe('StreamHashing', () => {
  it('answers from the hash fed in the stream, without reading storage', async () => {
    const hashing = new StreamHashing(storage);
    const uuid = randomUUID();
    const parts = [randomBytes(1000), randomBytes(5000)];
    let size = 0;
    for (const part of parts) {
      const feed = hashing.chunk(uuid, size, 'sha256');
      feed.observer!.update(part);
      size += part.length;
      feed.done(size);
    }
    // Nothing was stored: an answer can only come from the running hash.
    await expect(hashing.digest(uuid, size, 'sha256')).resolves.toBe(sha256(Buffer.concat(parts)));
  });

  it('drops a hash that saw bytes storage did not keep, and re-reads the upload', async () => {
    const hashing = new StreamHashing(storage);
    const uuid = randomUUID();
    const kept = randomBytes(3000);
    await storage.putContent(uploadDataPath(uuid), kept);
    const feed = hashing.chunk(uuid, 0, 'sha256');
    feed.observer!.update(Buffer.concat([kept, randomBytes(10)]));
    feed.done(kept.length);
    expect(hashing.chunk(uuid, kept.length, 'sha256').observer).toBeUndefined();
    await expect(hashing.digest(uuid, kept.length, 'sha256')).resolves.toBe(sha256(kept));
  });

  it('re-reads for another algorithm, and refuses a file shorter than the size asked', async () => {
    const hashing = new StreamHashing(storage);
    const uuid = randomUUID();
    const content = randomBytes(4096);
    await storage.putContent(uploadDataPath(uuid), content);
    const feed = hashing.chunk(uuid, 0, 'sha256');
    feed.observer!.update(content);
    feed.done(content.length);
    await expect(hashing.digest(uuid, content.length, 'sha512')).resolves.toBe(
      `sha512:${createHash('sha512').update(content).digest('hex')}`,
    );
    await expect(hashing.digest(uuid, content.length + 1, 'sha256')).rejects.toThrow(/4096 bytes stored, not 4097/);
  });
});
