import { mkdirSync, readdirSync } from 'node:fs';
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
    } finally {
      dir.remove();
    }
  });
});
