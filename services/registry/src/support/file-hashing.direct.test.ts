/**
 * FileHashing reads uploads past the page cache where the filesystem allows
 * it (the proxy writes large ones directly to the disk), falls back to the
 * cache where it does not (tmpfs before Linux 6.6) or when told, and gets the same digests
 * every way, at any offset and size.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbor/testkit';
import { uploadDataPath } from '../storage/layout';
import { descriptorsOn } from '../__tests__/open-descriptors';
import { FileHashing } from './file-hashing';

const MiB = 1024 * 1024;
const open: FileHashing[] = [];
const roots: string[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((hashing) => hashing.close()));
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function root(kind: 'disk' | 'tmpfs'): string {
  const path = kind === 'tmpfs' ? mkdtempSync('/dev/shm/harbor-file-hashing-') : tempDir('harbor-file-hashing-').path;
  roots.push(path);
  return path;
}

function hashing(at: string, directReads?: boolean): FileHashing {
  const instance = new FileHashing(at, { directReads });
  open.push(instance);
  return instance;
}

function upload(at: string, content: Buffer): string {
  const uuid = randomUUID();
  mkdirSync(join(at, 'uploads', uuid), { recursive: true });
  writeFileSync(join(at, uploadDataPath(uuid)), content);
  return uuid;
}

const sha256 = (content: Buffer): string => `sha256:${createHash('sha256').update(content).digest('hex')}`;

/** Page-aligned memory (a WebAssembly memory is mapped pages), as direct I/O needs. */
function alignedBuffer(bytes: number): Buffer {
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (size: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } })
    .WebAssembly;
  return Buffer.from(new wasm.Memory({ initial: bytes / 65536, maximum: bytes / 65536 }).buffer);
}

/** Writes `content` (a whole number of 4 KiB blocks) with O_DIRECT, so none of it is in the page cache; false where the filesystem refuses. */
function writeDirect(path: string, content: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DIRECT);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EINVAL') return false;
    throw err;
  }
  try {
    const buffer = alignedBuffer(content.length);
    content.copy(buffer);
    writeSync(fd, buffer, 0, buffer.length, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Bytes of `path` in the page cache, per util-linux's fincore. */
function residentBytes(path: string): number {
  const out = execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path], { encoding: 'utf8' });
  return Number(out.trim());
}


describe('FileHashing past the page cache', () => {
  const sizes = [0, 1, 4095, 4096, 4097, MiB - 1, MiB, MiB + 1, 8 * MiB - 1, 8 * MiB, 8 * MiB + 1, 16 * MiB + 4097, 17 * MiB + 3];

  it.each([
    ['direct reads on disk', 'disk', undefined],
    ['reads through the page cache when told', 'disk', false],
    ['tmpfs (direct I/O since Linux 6.6, the page cache before)', 'tmpfs', undefined],
  ] as const)('%s: the digest of the first `size` bytes, for sizes around blocks and buffers', async (_name, kind, directReads) => {
    const at = root(kind);
    const subject = hashing(at, directReads);
    const content = randomBytes(sizes[sizes.length - 1]! + 5000);
    for (const size of sizes) {
      const uuid = upload(at, content.subarray(0, size + (size % 7)));
      await expect(subject.digest(uuid, size, 'sha256')).resolves.toBe(sha256(content.subarray(0, size)));
    }
  });

  it.each(['disk', 'tmpfs'] as const)('follows chunks that end between blocks (%s)', async (kind) => {
    const at = root(kind);
    const subject = hashing(at);
    const content = randomBytes(6 * MiB + 12_345);
    const uuid = upload(at, content);
    // States left at unaligned offsets, then continued: each read starts inside a block.
    let offset = 0;
    for (const size of [1, 4095, 4097, 3 * MiB + 1, 3 * MiB + 8193, 5 * MiB + 511]) {
      subject.chunk(uuid, offset, 'sha256').done(size);
      offset = size;
    }
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(sha256(content));
    await expect(hashing(at).digest(uuid, content.length - 1, 'sha256')).resolves.toBe(sha256(content.subarray(0, content.length - 1)));
  });

  it('hashes a file that is not in the page cache without bringing it in', async () => {
    const at = root('disk');
    const content = randomBytes(32 * MiB);
    const uuid = randomUUID();
    mkdirSync(join(at, 'uploads', uuid), { recursive: true });
    const file = join(at, uploadDataPath(uuid));
    const direct = writeDirect(file, content);
    const subject = hashing(at);
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(sha256(content));
    if (direct) {
      // Read back through the cache, all 32 MiB would be resident now.
      expect(residentBytes(file)).toBeLessThan(MiB);
    } else {
      // This machine's temp dir has no direct I/O: the digest above came through the fallback.
      expect(residentBytes(file)).toBeGreaterThan(0);
    }
  });

  it('takes messages in order: a forget right after an advance closes the file once that hash is done', async () => {
    const at = root('disk');
    const subject = hashing(at);
    const content = randomBytes(24 * MiB);
    const uuid = upload(at, content);
    subject.chunk(uuid, 0, 'sha256').done(content.length);
    subject.forget(uuid);
    // A digest of another upload is answered only after both messages before it.
    const other = upload(at, Buffer.from('x'));
    await expect(subject.digest(other, 1, 'sha256')).resolves.toBe(sha256(Buffer.from('x')));
    expect(descriptorsOn(join(at, 'uploads', uuid))).toBe(0);
    await expect(subject.digest(uuid, content.length, 'sha256')).resolves.toBe(sha256(content));
  });

  it('hashes without WebAssembly (node --jitless): unaligned memory, so through the page cache', async () => {
    const at = root('disk');
    const content = randomBytes(9 * MiB + 5);
    const uuid = upload(at, content);
    const script = `
      const { FileHashing } = require(${JSON.stringify(require.resolve('./file-hashing'))});
      const hashing = new FileHashing(${JSON.stringify(at)});
      hashing.digest(${JSON.stringify(uuid)}, ${content.length}, 'sha256').then((d) => { process.stdout.write(d); return hashing.close(); });
    `;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--jitless', '-r', '@swc-node/register', '-e', script], { timeout: 25_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toBe(sha256(content));
  }, 45_000);
});
