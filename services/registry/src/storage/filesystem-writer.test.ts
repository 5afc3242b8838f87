/**
 * The filesystem driver's writer: it reports the file's size after each
 * write (the upload hashing follows it), starts writeback while bytes still
 * arrive so the final fsync has little left, and never lets a failed
 * writeback pass as a committed or closed file.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempDir, TempDir } from '@harbor/testkit';
import { FilesystemDriver } from './filesystem.driver';

const MiB = 1024 * 1024;
let dir: TempDir;
let driver: FilesystemDriver;
/** FileHandle is not exported; its prototype is reached through an open handle. */
let fileHandlePrototype: { datasync(): Promise<void> };

beforeAll(async () => {
  const handle = await open(__filename, 'r');
  fileHandlePrototype = Object.getPrototypeOf(handle) as typeof fileHandlePrototype;
  await handle.close();
});
beforeEach(() => {
  dir = tempDir('harbor-fs-writer-');
  driver = new FilesystemDriver(dir.path);
});
afterEach(() => {
  jest.restoreAllMocks();
  dir.remove();
});

/** `count` different chunks of `size` bytes, as a socket would deliver them. */
function body(count: number, size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === count) return void this.push(null);
      const chunk = Buffer.alloc(size, sent % 251);
      sent++;
      this.push(chunk);
    },
  });
}

function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

describe('FilesystemFileWriter', () => {
  it('reports the growing file size after each write, ending at the size of the file', async () => {
    const path = join(dir.path, 'up', 'data');
    await driver.putContent('/up/data', Buffer.from('existing'));
    const sizes: number[] = [];
    const writer = await driver.writer('/up/data', true, { onWritten: (size) => sizes.push(size) });
    await pipeline(body(40, 64 * 1024 + 3), writer);
    await writer.close();
    const total = 8 + 40 * (64 * 1024 + 3);
    expect(readFileSync(path).length).toBe(total);
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes[0]).toBeGreaterThan(8);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]!);
    expect(sizes[sizes.length - 1]).toBe(total);
  });

  it('starts writeback while a large file is written, before commit', async () => {
    const datasync = jest.spyOn(fileHandlePrototype, 'datasync');
    const writer = await driver.writer('/big/data', false);
    await pipeline(body(70, MiB), writer);
    expect(datasync).toHaveBeenCalled();
    await writer.commit();
    expect(readFileSync(join(dir.path, 'big', 'data')).length).toBe(70 * MiB);
  });

  it('does not start writeback for a small file', async () => {
    const datasync = jest.spyOn(fileHandlePrototype, 'datasync');
    const writer = await driver.writer('/small/data', false);
    await pipeline(body(3, MiB), writer);
    await writer.commit();
    expect(datasync).not.toHaveBeenCalled();
  });

  it.each(['commit', 'close'] as const)('fails %s after a failed writeback, and still closes the file', async (finish) => {
    const failure = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    jest.spyOn(fileHandlePrototype, 'datasync').mockRejectedValue(failure);
    const writer = await driver.writer('/failing/data', false);
    await pipeline(body(40, MiB), writer);
    await expect(writer[finish]()).rejects.toBe(failure);
    expect(descriptorsOn(join(dir.path, 'failing', 'data'))).toBe(0);
  });

  it('is destroyed quietly with a writeback in flight', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const datasync = jest.spyOn(fileHandlePrototype, 'datasync').mockImplementation(() => held.then(() => Promise.reject(new Error('EIO'))));
    const writer = await driver.writer('/held/data', false);
    await pipeline(body(33, MiB), writer);
    expect(datasync).toHaveBeenCalledTimes(1);
    const closed = new Promise((resolve) => writer.once('close', resolve));
    writer.destroy();
    release();
    await closed;
    expect(descriptorsOn(join(dir.path, 'held', 'data'))).toBe(0);
  });

});
