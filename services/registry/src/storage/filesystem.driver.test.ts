import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@harbor/testkit';
import { FilesystemDriver } from './filesystem.driver';
import { storageDriverContract } from './__tests__/storage-driver.contract';

storageDriverContract('filesystem', async () => {
  const dir = tempDir('harbor-fs-driver-');
  return { driver: new FilesystemDriver(dir.path), cleanup: async () => dir.remove(), localRoot: dir.path };
});

describe('filesystem putContent when it fails', () => {
  it('leaves no temporary copy beside the target', async () => {
    const dir = tempDir('harbor-fs-put-');
    try {
      const driver = new FilesystemDriver(dir.path);
      // A non-empty directory where the file should go: the rename over it fails after the copy was written.
      mkdirSync(join(dir.path, 'a', 'taken', 'inside'), { recursive: true });
      await expect(driver.putContent('/a/taken', Buffer.from('bytes'))).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
      expect(readdirSync(join(dir.path, 'a')).sort()).toEqual(['taken']);
      expect(readdirSync(join(dir.path, 'a', 'taken'))).toEqual(['inside']);
      expect(readdirSync(join(dir.path, '.tmp'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});

describe('filesystem leftovers', () => {
  it('writes putContent\'s copy in one directory of its own, not beside the target, and leaves nothing there', async () => {
    const dir = tempDir('harbor-fs-partial-');
    try {
      const driver = new FilesystemDriver(dir.path);
      await driver.putContent('/blobs/sha256/ab/abc/data', Buffer.from('small blob'));
      expect(readdirSync(join(dir.path, 'blobs', 'sha256', 'ab', 'abc'))).toEqual(['data']);
      expect(readdirSync(join(dir.path, '.tmp'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('removes the copies a killed process left once they are older than the cutoff, and keeps one being written', async () => {
    const dir = tempDir('harbor-fs-leftovers-');
    try {
      const driver = new FilesystemDriver(dir.path);
      await driver.putContent('/blobs/x/data', Buffer.from('published'));
      // What a registry killed between putContent's write and its rename leaves: a copy nobody will rename.
      const plant = (name: string, ageMs: number): void => {
        const file = join(dir.path, '.tmp', name);
        writeFileSync(file, Buffer.alloc(1000, 1));
        const when = new Date(Date.now() - ageMs);
        utimesSync(file, when, when);
      };
      plant('killed-long-ago', 3 * 3_600_000);
      plant('being-written', 0);
      expect(await driver.removeLeftovers(new Date(Date.now() - 3_600_000))).toBe(1);
      expect(readdirSync(join(dir.path, '.tmp'))).toEqual(['being-written']);
      expect((await driver.getContent('/blobs/x/data')).toString()).toBe('published');
      expect(await driver.list('/')).toEqual(['/blobs']);
    } finally {
      dir.remove();
    }
  });

  it('makes its copies\' directory again when it was removed while the registry ran', async () => {
    const dir = tempDir('harbor-fs-partial-gone-');
    try {
      const driver = new FilesystemDriver(dir.path);
      rmSync(join(dir.path, '.tmp'), { recursive: true });
      await driver.putContent('/blobs/y/data', Buffer.from('still stored'));
      expect((await driver.getContent('/blobs/y/data')).toString()).toBe('still stored');
      expect(readdirSync(join(dir.path, '.tmp'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('has nothing to remove in a store that never had a copy', async () => {
    const dir = tempDir('harbor-fs-no-leftovers-');
    try {
      expect(await new FilesystemDriver(dir.path).removeLeftovers(new Date())).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
