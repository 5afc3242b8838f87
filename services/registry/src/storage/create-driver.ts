import type { RegistryConfig } from '@harbor/config';
import { FilesystemDriver } from './filesystem.driver';
import type { StorageDriver } from './storage-driver';

/** The driver `registry_storage_provider_name` asks for. */
export function createStorageDriver(config: RegistryConfig['storage']): StorageDriver {
  switch (config.provider) {
    case 'filesystem':
      return new FilesystemDriver(config.rootDirectory);
    case 's3':
      throw new Error('storage provider "s3" is not available yet: use "filesystem"');
  }
}
