import type { Slapd } from '@harbor/testkit';

/** The harbor.cfg keys that put a suite in ldap_auth against a slapd started by the test. */
export function ldapCfgFor(slapd: Slapd): Record<string, string> {
  return {
    auth_mode: 'ldap_auth',
    ldap_url: slapd.url,
    ldap_searchdn: slapd.rootDn,
    ldap_search_pwd: slapd.rootPassword,
    ldap_basedn: slapd.peopleDn,
    ldap_filter: '(objectClass=inetOrgPerson)',
    ldap_uid: 'uid',
    ldap_scope: '2',
    ldap_timeout: '5',
    ldap_group_basedn: slapd.groupsDn,
    ldap_group_filter: '(objectClass=groupOfNames)',
    ldap_group_gid: 'cn',
  };
}
