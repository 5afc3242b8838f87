/**
 * Direct writes on this machine's real filesystems: UploadFiles.direct with
 * the upload writer lands the exact bytes from an unaligned offset, and they
 * go past the page cache (fincore, from util-linux-extra, shows the file
 * mostly not resident); a refused direct write turns them off for good; the
 * buffer pool is bounded and gives slots back; openDirect reopens the very
 * file. Where the temp dir's filesystem has no O_DIRECT, the fallback is
 * checked instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { constants, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, type TempDir } from '@harbor/testkit';
import { directAlignment, directWriteBytes, openDirect } from './direct-writes';
import { UploadFiles } from './upload-files';
import { writeUploadBody, type UploadOutcome } from './upload-writer';
import { asRequest, fakeBody } from './__tests__/fake-file';

const MiB = 1024 * 1024;

/** Bytes of the file in the page cache. */
function resident(path: string): number {
  return Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', path], { encoding: 'utf8' }).trim());
}

/** Whether the directory's filesystem lets a file be opened with O_DIRECT (tmpfs did not before Linux 6.6). */
async function opensDirect(directory: string): Promise<boolean> {
  const path = join(directory, `probe-${randomUUID()}`);
  writeFileSync(path, '');
  try {
    await (await open(path, constants.O_WRONLY | constants.O_DIRECT)).close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EINVAL') return false;
    throw err;
  } finally {
    rmSync(path);
  }
}

/** Creates an upload session's data file holding `prefix`, as the registry would; returns its relative name. */
function session(root: string, prefix: Buffer): string {
  const uuid = randomUUID();
  mkdirSync(join(root, 'uploads', uuid), { recursive: true });
  writeFileSync(join(root, 'uploads', uuid, 'data'), prefix);
  return `uploads/${uuid}/data`;
}

/** Writes `data` after `prefix` into a new upload file of `files`, with direct writes when it has them. */
async function upload(
  files: UploadFiles,
  root: string,
  prefix: Buffer,
  data: Buffer,
  override: (direct: Awaited<ReturnType<UploadFiles['direct']>>) => Awaited<ReturnType<UploadFiles['direct']>> = (d) => d,
): Promise<{ path: string; outcome: UploadOutcome; direct: boolean }> {
  const name = session(root, prefix);
  const handle = await files.open(name, prefix.length);
  const direct = override(await files.direct(handle));
  try {
    const b = fakeBody();
    const writer = writeUploadBody(asRequest(b), handle, prefix.length, null, () => undefined, { direct });
    // Odd-sized chunks, so no chunk bound meets a block or buffer bound.
    for (let at = 0; at < data.length; at += 333_333) {
      if (!b.write(data.subarray(at, at + 333_333))) await new Promise((resolve) => b.once('drain', resolve));
    }
    b.end();
    return { path: join(root, name), outcome: await writer.done, direct: direct !== null };
  } finally {
    await direct?.release();
    await handle.close();
  }
}

describe('direct writes on real files', () => {
  let storage: TempDir;
  let direct: boolean;

  beforeAll(async () => {
    storage = tempDir('harbor-direct-writes-');
    direct = await opensDirect(storage.path);
  });
  afterAll(() => storage.remove());

  it('lands 20 MiB and odd bytes from an unaligned offset byte for byte', async () => {
    const files = new UploadFiles(storage.path, { directSlots: 2 });
    const prefix = randomBytes(1000);
    const data = randomBytes(20 * MiB + 12_345);
    const result = await upload(files, storage.path, prefix, data);
    expect(result.direct).toBe(direct);
    expect(result.outcome).toEqual({ kind: 'end', written: data.length });
    expect(readFileSync(result.path).equals(Buffer.concat([prefix, data]))).toBe(true);
  });

  it('leaves a 64 MiB upload mostly out of the page cache, where the same write through the cache stays in it', async () => {
    const size = 64 * MiB;
    const data = randomBytes(size - 1000 + 777);
    const prefix = randomBytes(1000);
    const withDirect = await upload(new UploadFiles(storage.path, { directSlots: 1 }), storage.path, prefix, data);
    const cachedOnly = await upload(new UploadFiles(storage.path, { directSlots: 0 }), storage.path, prefix, data);
    expect(cachedOnly.direct).toBe(false);
    // Taken before anything reads the files back (a read would bring them into the cache).
    const residentDirect = resident(withDirect.path);
    const residentCached = resident(cachedOnly.path);
    // The control: fincore does see a file written through the cache.
    expect(residentCached).toBeGreaterThan(size / 2);
    if (direct) {
      // Through the cache went only the head up to the first block and the last partial buffer.
      expect(residentDirect).toBeLessThan(8 * MiB);
    } else {
      expect(withDirect.direct).toBe(false);
    }
    expect(readFileSync(withDirect.path).equals(Buffer.concat([prefix, data]))).toBe(true);
  }, 60_000);

  it('turns direct writes off for good once a direct write is refused (EINVAL), and the upload still lands', async () => {
    const files = new UploadFiles(storage.path, { directSlots: 2 });
    const prefix = randomBytes(10);
    const data = randomBytes(3 * directWriteBytes + 99);
    // A buffer one byte off any alignment: the kernel refuses a direct write from it, as a filesystem without any would.
    const misaligned = Buffer.alloc(directWriteBytes + 1).subarray(1);
    const result = await upload(files, storage.path, prefix, data, (d) => (d ? { ...d, buffer: misaligned } : d));
    expect(result.outcome).toEqual({ kind: 'end', written: data.length });
    expect(readFileSync(result.path).equals(Buffer.concat([prefix, data]))).toBe(true);
    // Not tried again, though this filesystem could: the next file gets none.
    const handle = await files.open(session(storage.path, Buffer.alloc(0)), 0);
    try {
      expect(await files.direct(handle)).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('hands out at most its slots, each block-aligned and 4 MiB long, and takes a released one back once', async () => {
    if (!direct) return;
    const slots = 3;
    const files = new UploadFiles(storage.path, { directSlots: slots });
    const handles: FileHandle[] = [];
    try {
      const taken = [];
      for (let i = 0; i <= slots; i += 1) {
        const handle = await files.open(session(storage.path, Buffer.alloc(0)), 0);
        handles.push(handle);
        taken.push(await files.direct(handle));
      }
      expect(taken.slice(0, slots).every((d) => d !== null)).toBe(true);
      expect(taken[slots]).toBeNull();
      const buffers = taken.slice(0, slots).map((d) => d!.buffer);
      expect(new Set(buffers.map((b) => b.byteOffset)).size).toBe(slots);
      for (const b of buffers) expect([b.length, b.byteOffset % directAlignment]).toEqual([directWriteBytes, 0]);

      // Released twice by mistake, a slot still comes back only once: two uploads must never share a buffer.
      await taken[0]!.release();
      await taken[0]!.release();
      const again = await files.direct(handles[slots]!);
      expect(again).not.toBeNull();
      expect(again!.buffer.byteOffset).toBe(buffers[0]!.byteOffset);
      expect(await files.direct(handles[slots]!)).toBeNull();
      await again!.release();
      for (const d of taken.slice(1, slots)) await d!.release();
    } finally {
      for (const h of handles) await h.close();
    }
  });

  it('openDirect reopens the very file the handle has, even after its name was replaced', async () => {
    const path = join(storage.path, `reopened-${randomUUID()}`);
    writeFileSync(path, 'original');
    const handle = await open(path, 'r+');
    try {
      // Another file takes the name: a reopen by path would get it.
      const other = join(storage.path, `other-${randomUUID()}`);
      writeFileSync(other, 'impostor');
      renameSync(other, path);
      const twin = await openDirect(handle);
      if (!direct) {
        expect(twin).toBe('unsupported');
        return;
      }
      expect(twin).not.toBeNull();
      expect(twin).not.toBe('unsupported');
      const opened = twin as FileHandle;
      try {
        const [mine, theirs] = await Promise.all([handle.stat(), opened.stat()]);
        expect([theirs.dev, theirs.ino]).toEqual([mine.dev, mine.ino]);
        expect(opened.fd).not.toBe(handle.fd);
      } finally {
        await opened.close();
      }
      expect(readFileSync(path, 'utf8')).toBe('impostor');
    } finally {
      await handle.close();
    }
  });

  it('openDirect gives nothing when the handle is not the file the caller stat-ed', async () => {
    const path = join(storage.path, `known-${randomUUID()}`);
    writeFileSync(path, 'bytes');
    const handle = await open(path, 'r+');
    try {
      const info = await handle.stat();
      const twin = await openDirect(handle, { dev: info.dev, ino: info.ino + 1 });
      expect(twin).toBe(direct ? null : 'unsupported');
      if (direct) {
        const same = await openDirect(handle, { dev: info.dev, ino: info.ino });
        expect(same).not.toBeNull();
        await (same as FileHandle).close();
      }
    } finally {
      await handle.close();
    }
  });
});

describe('direct writes on tmpfs', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync('/dev/shm/harbor-direct-writes-');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives none where O_DIRECT cannot be opened, and asks no more; where it can (Linux 6.6 on), the bytes still land', async () => {
    const files = new UploadFiles(root, { directSlots: 2 });
    const prefix = randomBytes(1000);
    const data = randomBytes(2 * directWriteBytes + 4321);
    const opens = await opensDirect(root);
    const first = await upload(files, root, prefix, data);
    expect(first.direct).toBe(opens);
    expect(first.outcome).toEqual({ kind: 'end', written: data.length });
    expect(readFileSync(first.path).equals(Buffer.concat([prefix, data]))).toBe(true);
    const second = await upload(files, root, prefix, data);
    expect(second.direct).toBe(opens);
    expect(readFileSync(second.path).equals(Buffer.concat([prefix, data]))).toBe(true);
  });
});

describe('direct writes without WebAssembly', () => {
  it('gives no buffers in a node without it (--jitless), and the pool still works as "none free"', async () => {
    const script = `
      const { DirectWriteBuffers } = require(${JSON.stringify(require.resolve('./direct-writes'))});
      const pool = new DirectWriteBuffers(2);
      process.stdout.write(JSON.stringify({ available: pool.available, taken: pool.take() }));
    `;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--jitless', '-r', '@swc-node/register', '-e', script], { timeout: 25_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(JSON.parse(output)).toEqual({ available: 0, taken: null });
  }, 45_000);
});
