/**
 * FileHashing: the digest is always that of the upload file's first `size`
 * bytes, whatever the worker kept (nothing, a state for another algorithm,
 * a state from before a restart) and whatever happened to the worker; a
 * file that is missing or short is a rejection, never a digest of less.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, TempDir } from '@harbor/testkit';
import type { DigestAlgorithm } from '@harbor/oci';
import { uploadDataPath } from '../storage/layout';
import { descriptorsOn } from '../__tests__/open-descriptors';
import { FileHashing } from './file-hashing';

const MiB = 1024 * 1024;
let dir: TempDir;
const open: FileHashing[] = [];

beforeEach(() => {
  dir = tempDir('harbor-file-hashing-');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((hashing) => hashing.close()));
  dir.remove();
});

function hashing(options?: ConstructorParameters<typeof FileHashing>[1]): FileHashing {
  const instance = new FileHashing(dir.path, options);
  open.push(instance);
  return instance;
}

function fileOf(uuid: string): string {
  return join(dir.path, uploadDataPath(uuid));
}

/** A new upload file holding `content`; answers its uuid. */
function upload(content: Buffer): string {
  const uuid = randomUUID();
  mkdirSync(join(dir.path, 'uploads', uuid), { recursive: true });
  writeFileSync(fileOf(uuid), content);
  return uuid;
}

function expected(content: Buffer, algorithm: DigestAlgorithm): string {
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}


/** Messages are handled in order: once a digest is answered, everything posted before it was handled. */
async function barrier(subject: FileHashing): Promise<void> {
  await subject.digest(upload(Buffer.alloc(0)), 0, 'sha256');
}

describe('FileHashing', () => {
  const sizes = [0, 1, MiB - 1, MiB, MiB + 1, 2 * MiB + 7, 8 * MiB - 1, 8 * MiB + 1, 20 * MiB + 3];

  it.each(['sha256', 'sha512'] as const)('answers the %s of the whole file for sizes around the read buffer', async (algorithm) => {
    const subject = hashing();
    const content = randomBytes(sizes[sizes.length - 1]!);
    for (const size of sizes) {
      const part = content.subarray(0, size);
      await expect(subject.digest(upload(part), size, algorithm)).resolves.toBe(expected(part, algorithm));
    }
  });

  it('answers the digest of the first `size` bytes only', async () => {
    const content = randomBytes(3 * MiB);
    const uuid = upload(content);
    await expect(hashing().digest(uuid, 2 * MiB + 5, 'sha256')).resolves.toBe(expected(content.subarray(0, 2 * MiB + 5), 'sha256'));
  });

  it('follows an upload over several chunks, and a fresh instance (no state) hashes it from byte 0', async () => {
    const subject = hashing();
    const parts = [randomBytes(5 * MiB + 1), randomBytes(1), randomBytes(9 * MiB), randomBytes(0), randomBytes(3 * MiB + 77)];
    const uuid = upload(Buffer.alloc(0));
    let size = 0;
    for (const part of parts) {
      const feed = subject.chunk(uuid, size, 'sha512');
      expect(feed.observer).toBeUndefined();
      // Written in slices, as a writer reports them.
      for (let at = 0; at < part.length; at += 512 * 1024) {
        const slice = part.subarray(at, at + 512 * 1024);
        appendFileSync(fileOf(uuid), slice);
        size += slice.length;
        feed.stored(size);
      }
      feed.done(size);
    }
    const all = Buffer.concat(parts);
    await expect(subject.digest(uuid, size, 'sha512')).resolves.toBe(expected(all, 'sha512'));
    await expect(hashing().digest(uuid, size, 'sha512')).resolves.toBe(expected(all, 'sha512'));
  });

  it('keeps the running hash: bytes hashed once are not read again', async () => {
    const subject = hashing();
    const first = randomBytes(6 * MiB);
    const uuid = upload(first);
    subject.chunk(uuid, 0, 'sha256').done(first.length);
    await barrier(subject);
    // Rewriting what was hashed shows which bytes the digest came from.
    const later = randomBytes(MiB);
    writeFileSync(fileOf(uuid), Buffer.concat([randomBytes(first.length), later]));
    await expect(subject.digest(uuid, first.length + later.length, 'sha256')).resolves.toBe(expected(Buffer.concat([first, later]), 'sha256'));
  });

  it('hashes from byte 0 for another algorithm, or when its state is past the size asked', async () => {
    const subject = hashing();
    const content = randomBytes(7 * MiB);
    const uuid = upload(content);
    subject.chunk(uuid, 0, 'sha256').done(content.length);
    await expect(subject.digest(uuid, content.length, 'sha512')).resolves.toBe(expected(content, 'sha512'));
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(expected(content, 'sha256'));
    await expect(subject.digest(uuid, MiB, 'sha256')).resolves.toBe(expected(content.subarray(0, MiB), 'sha256'));
  });

  it('rejects a missing file and a file shorter than the size asked', async () => {
    const subject = hashing();
    await expect(subject.digest(randomUUID(), 0, 'sha256')).rejects.toThrow(/ENOENT/);
    const content = randomBytes(2 * MiB);
    const uuid = upload(content);
    await expect(subject.digest(uuid, content.length + 1, 'sha256')).rejects.toThrow(/fewer than/);
    // A state that got ahead of a file cut short afterwards is not trusted either.
    truncateSync(fileOf(uuid), MiB);
    await expect(subject.digest(uuid, content.length, 'sha256')).rejects.toThrow(/fewer than/);
    await expect(hashing().digest(uuid, content.length, 'sha256')).rejects.toThrow(/fewer than/);
    await expect(subject.digest('../../etc', 0, 'sha256')).rejects.toThrow(/invalid storage path/);
  });

  it('closes the file on forget, and keeps nothing to answer from', async () => {
    const subject = hashing();
    const content = randomBytes(5 * MiB);
    const uuid = upload(content);
    subject.chunk(uuid, 0, 'sha256').done(content.length);
    await barrier(subject);
    expect(descriptorsOn(fileOf(uuid))).toBe(1);
    subject.forget(uuid);
    await barrier(subject);
    expect(descriptorsOn(fileOf(uuid))).toBe(0);
    rmSync(join(dir.path, 'uploads', uuid), { recursive: true });
    await expect(subject.digest(uuid, content.length, 'sha256')).rejects.toThrow(/ENOENT/);
  });

  it('hashes many uploads at once, holding no more files open than states', async () => {
    const subject = hashing({ maxStates: 8 });
    const uploads = Array.from({ length: 40 }, () => ({ uuid: upload(Buffer.alloc(0)), parts: [] as Buffer[], size: 0 }));
    for (let round = 0; round < 3; round++) {
      for (const u of uploads) {
        const part = randomBytes(MiB + round * 1000 + (u.size % 13));
        appendFileSync(fileOf(u.uuid), part);
        const feed = subject.chunk(u.uuid, u.size, 'sha256');
        u.parts.push(part);
        u.size += part.length;
        feed.done(u.size);
      }
    }
    await barrier(subject);
    expect(descriptorsOn(join(dir.path, 'uploads'))).toBeLessThanOrEqual(8);
    const digests = await Promise.all(uploads.map((u) => subject.digest(u.uuid, u.size, 'sha256')));
    expect(digests).toEqual(uploads.map((u) => expected(Buffer.concat(u.parts), 'sha256')));
  });

  it('survives its worker being terminated, between digests and under one', async () => {
    const subject = hashing();
    const content = randomBytes(20 * MiB);
    const uuid = upload(content);
    subject.chunk(uuid, 0, 'sha256').done(10 * MiB);
    await barrier(subject);
    await subject.runningWorker!.terminate();
    expect(subject.runningWorker).toBeNull();
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(expected(content, 'sha256'));

    subject.chunk(uuid, 0, 'sha512').done(10 * MiB);
    const pending = subject.digest(uuid, content.length, 'sha512');
    void subject.runningWorker!.terminate();
    await expect(pending).resolves.toBe(expected(content, 'sha512'));
  });

  it('rejects what still waits when it is closed, and starts again on use', async () => {
    const subject = hashing();
    const content = randomBytes(20 * MiB);
    const uuid = upload(content);
    const rejected = expect(subject.digest(uuid, content.length, 'sha256')).rejects.toThrow(/shut down/);
    await subject.close();
    await rejected;
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(expected(content, 'sha256'));
  });

  it('never keeps a process alive', async () => {
    const content = randomBytes(MiB);
    const uuid = upload(content);
    // The same source in a plain node process: it must answer, then exit by itself without close().
    const script = `
      const { FileHashing } = require(${JSON.stringify(require.resolve('./file-hashing'))});
      const hashing = new FileHashing(${JSON.stringify(dir.path)});
      hashing.chunk(${JSON.stringify(uuid)}, 0, 'sha256').done(1000);
      hashing.digest(${JSON.stringify(uuid)}, ${content.length}, 'sha256').then((d) => process.stdout.write(d));
    `;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-r', '@swc-node/register', '-e', script], { timeout: 25_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toBe(expected(content, 'sha256'));
  }, 45_000);
});

describe('small whole blobs', () => {
  it('hashes a body announced at 1 MiB or less in the stream, without the worker, and only when it saw every stored byte', async () => {
    const h = hashing();
    const content = randomBytes(1000);
    const uuid = upload(content);
    const feed = h.chunk(uuid, 0, 'sha256', content.length);
    feed.observer!.update(content);
    feed.done(content.length);
    await expect(h.digest(uuid, content.length, 'sha256')).resolves.toBe(expected(content, 'sha256'));
    expect(h.runningWorker).toBeNull();

    // A body that stopped short of what storage holds is not trusted: the file is hashed instead.
    const other = upload(content);
    const partial = h.chunk(other, 0, 'sha256', content.length);
    partial.observer!.update(content.subarray(0, 10));
    partial.done(content.length);
    await expect(h.digest(other, content.length, 'sha256')).resolves.toBe(expected(content, 'sha256'));
    expect(h.runningWorker).not.toBeNull();
  });

  it('leaves a larger or unannounced body, or a later chunk, to the worker', () => {
    const h = hashing();
    const uuid = upload(Buffer.alloc(0));
    expect(h.chunk(uuid, 0, 'sha256', 2 * MiB).observer).toBeUndefined();
    expect(h.chunk(uuid, 0, 'sha256', null).observer).toBeUndefined();
    expect(h.chunk(uuid, 10, 'sha256', 100).observer).toBeUndefined();
  });

  describe('the proxy\'s word for a handed-over chunk', () => {
    it('reads nothing of the chunk once the proxy says it will vouch, and answers its digest for exactly that size', async () => {
      const subject = hashing();
      const content = randomBytes(9 * MiB);
      const uuid = upload(content);
      const feed = subject.chunk(uuid, 0, 'sha256', content.length);
      feed.vouching!.expect();
      feed.stored(4 * MiB);
      feed.stored(8 * MiB);
      const word = expected(randomBytes(10), 'sha256');
      feed.vouching!.vouch(content.length, word);
      feed.done(content.length);
      // No read was asked for, so no worker was ever started.
      expect(subject.runningWorker).toBeNull();
      expect(await subject.digest(uuid, content.length, 'sha256')).toBe(word);
      // Another size or algorithm is the file's own digest, read.
      appendFileSync(fileOf(uuid), Buffer.from('x'));
      const grown = Buffer.concat([content, Buffer.from('x')]);
      expect(await subject.digest(uuid, grown.length, 'sha256')).toBe(expected(grown, 'sha256'));
      expect(await subject.digest(uuid, grown.length, 'sha512')).toBe(expected(grown, 'sha512'));
    });

    it('reads the chunk as it arrives while the proxy has not said it will vouch, and forgets a word with the upload', async () => {
      const subject = hashing();
      const content = randomBytes(9 * MiB);
      const uuid = upload(content);
      const feed = subject.chunk(uuid, 0, 'sha256', content.length);
      feed.stored(8 * MiB);
      expect(subject.runningWorker).not.toBeNull();
      const word = expected(randomBytes(10), 'sha256');
      feed.vouching!.vouch(content.length, word);
      feed.done(content.length);
      subject.forget(uuid);
      expect(await subject.digest(uuid, content.length, 'sha256')).toBe(expected(content, 'sha256'));
    });
  });
});
