import type { RegistryConfig } from '@harbor/config';
import { FilesystemDriver } from './filesystem.driver';
import { S3Driver } from './s3.driver';
import { parseS3Options } from './s3-options';
import type { StorageDriver } from './storage-driver';

/** The driver `registry_storage_provider_name` asks for, with `registry_storage_provider_config` as its options. */
export function createStorageDriver(config: RegistryConfig['storage']): StorageDriver {
  switch (config.provider) {
    case 'filesystem':
      return new FilesystemDriver(config.rootDirectory);
    case 's3':
      return new S3Driver(parseS3Options(config.options));
  }
}
