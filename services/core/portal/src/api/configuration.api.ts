import { request, requestJson } from './http';

/** One item of Harbor's `ConfigurationsResponse`: the value and whether it may be changed here. */
export interface ConfigItem<T> {
  value: T;
  editable: boolean;
}

/** Harbor's `ConfigurationsResponse`, the keys the portal shows. Any may be missing. */
export interface ConfigurationsResponse {
  auth_mode?: ConfigItem<string>;
  ldap_url?: ConfigItem<string>;
  ldap_search_dn?: ConfigItem<string>;
  ldap_base_dn?: ConfigItem<string>;
  ldap_filter?: ConfigItem<string>;
  ldap_uid?: ConfigItem<string>;
  ldap_scope?: ConfigItem<number>;
  ldap_timeout?: ConfigItem<number>;
  ldap_verify_cert?: ConfigItem<boolean>;
  ldap_group_base_dn?: ConfigItem<string>;
  ldap_group_search_filter?: ConfigItem<string>;
  ldap_group_attribute_name?: ConfigItem<string>;
  ldap_group_admin_dn?: ConfigItem<string>;
  ldap_group_membership_attribute?: ConfigItem<string>;
  ldap_group_search_scope?: ConfigItem<number>;
  self_registration?: ConfigItem<boolean>;
  project_creation_restriction?: ConfigItem<string>;
  token_expiration?: ConfigItem<number>;
  robot_token_duration?: ConfigItem<number>;
}

/** Harbor's `Configurations` (the PUT body): only the keys to change. `ldap_search_password` is write-only. */
export interface Configurations {
  auth_mode?: string;
  ldap_url?: string;
  ldap_search_dn?: string;
  ldap_search_password?: string;
  ldap_base_dn?: string;
  ldap_filter?: string;
  ldap_uid?: string;
  ldap_scope?: number;
  ldap_timeout?: number;
  ldap_verify_cert?: boolean;
  ldap_group_base_dn?: string;
  ldap_group_search_filter?: string;
  ldap_group_attribute_name?: string;
  ldap_group_admin_dn?: string;
  ldap_group_membership_attribute?: string;
  ldap_group_search_scope?: number;
  self_registration?: boolean;
  project_creation_restriction?: string;
  token_expiration?: number;
  robot_token_duration?: number;
}

export function getConfigurations(): Promise<ConfigurationsResponse> {
  return requestJson<ConfigurationsResponse>('/api/v2.0/configurations');
}

/** Sends only what changed; an empty change is not sent at all. */
export async function updateConfigurations(changes: Configurations): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await request('/api/v2.0/configurations', { method: 'PUT', json: changes });
}
