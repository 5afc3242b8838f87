import { requestJson } from './http';

/** Harbor's `LdapConf`: the settings to try; absent ones fall back to what is configured. */
export interface LdapConf {
  ldap_url?: string;
  ldap_search_dn?: string;
  ldap_search_password?: string;
  ldap_base_dn?: string;
  ldap_filter?: string;
  ldap_uid?: string;
  ldap_scope?: number;
  ldap_connection_timeout?: number;
  ldap_verify_cert?: boolean;
}

/** Harbor's `LdapPingResult`: the check ran; `success` says whether the directory answered, `message` why not. */
export interface LdapPingResult {
  success: boolean;
  message: string;
}

/** Tries to reach and bind to the directory with `conf` (the form's values, not yet saved). */
export function pingLdap(conf: LdapConf): Promise<LdapPingResult> {
  return requestJson<LdapPingResult>('/api/v2.0/ldap/ping', { method: 'POST', json: conf });
}
