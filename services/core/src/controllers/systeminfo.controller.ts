import type { Caller } from '../domain/caller';
import type { SettingsReader } from '../domain/system-settings';

export interface SystemInfoOptions {
  /** auth_mode, self_registration and project_creation_restriction as a system admin last set them. */
  settings: SettingsReader;
  externalUrl: string;
  registryStorageProviderName?: string;
  version: string;
  now?: () => Date;
}

/** Harbor's GeneralInfo: a small public subset for anonymous callers, more once signed in. */
export class SystemInfoController {
  constructor(private readonly options: SystemInfoOptions) {}

  async info(caller: Caller): Promise<Record<string, unknown>> {
    const o = this.options;
    const settings = await o.settings.current();
    const info: Record<string, unknown> = {
      auth_mode: settings.authMode,
      primary_auth_mode: false,
      self_registration: settings.selfRegistration,
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
      project_creation_restriction: settings.projectCreationRestriction,
      // The suite serves TLS with certificates it does not issue: no CA bundle to download.
      has_ca_root: false,
      read_only: false,
      notification_enable: false,
      registry_storage_provider_name: o.registryStorageProviderName ?? 'filesystem',
    };
  }
}
