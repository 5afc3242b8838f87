import type { CoreConfig } from '@harbor/config';
import type { Caller } from '../domain/caller';

export interface SystemInfoOptions {
  authMode: CoreConfig['authMode'];
  selfRegistration: boolean;
  projectCreationRestriction: CoreConfig['projectCreationRestriction'];
  externalUrl: string;
  registryStorageProviderName?: string;
  version: string;
  now?: () => Date;
}

/** Harbor's GeneralInfo: a small public subset for anonymous callers, more once signed in. */
export class SystemInfoController {
  constructor(private readonly options: SystemInfoOptions) {}

  info(caller: Caller): Record<string, unknown> {
    const o = this.options;
    const info: Record<string, unknown> = {
      auth_mode: o.authMode,
      primary_auth_mode: false,
      self_registration: o.selfRegistration,
      harbor_version: o.version,
      banner_message: '',
      current_time: (o.now?.() ?? new Date()).toISOString(),
    };
    if (caller.kind === 'anonymous') return info;
    return {
      ...info,
      external_url: o.externalUrl,
      // What `docker login` is pointed at: the host (and port) without the scheme.
      registry_url: new URL(o.externalUrl).host,
      project_creation_restriction: o.projectCreationRestriction,
      // The suite serves TLS with certificates it does not issue: no CA bundle to download.
      has_ca_root: false,
      read_only: false,
      notification_enable: false,
      registry_storage_provider_name: o.registryStorageProviderName ?? 'filesystem',
    };
  }
}
