import { tempDir } from '@harbor/testkit';
import { FilesystemDriver } from './filesystem.driver';
import { storageDriverContract } from './__tests__/storage-driver.contract';

storageDriverContract('filesystem', async () => {
  const dir = tempDir('harbor-fs-driver-');
  return { driver: new FilesystemDriver(dir.path), cleanup: async () => dir.remove(), localRoot: dir.path };
});
