import { join } from 'node:path';
import type { CoreConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';
import { repoInfo } from '../repo-root';
import { logSinkFor } from './log-sink';
import { databaseFor, tokenFor } from './shared';

export function renderCore(cfg: HarborCfg, topology: Topology): CoreConfig {
  return {
    listen: { host: topology.bindHost, port: cfg.core_port },
    externalUrl: topology.externalUrl,
    database: databaseFor(cfg, topology),
    redisUrl: topology.redisUrl,
    token: { ...tokenFor(topology), privateKeyPath: topology.secrets.privateKey, expirationMinutes: cfg.token_expiration },
    adminInitialPassword: cfg.harbor_admin_password,
    authMode: cfg.auth_mode,
    ldap: {
      url: cfg.ldap_url,
      searchDn: cfg.ldap_searchdn,
      searchPassword: cfg.ldap_search_pwd,
      baseDn: cfg.ldap_basedn,
      filter: cfg.ldap_filter,
      uid: cfg.ldap_uid,
      scope: cfg.ldap_scope,
      timeoutSeconds: cfg.ldap_timeout,
      verifyCertificate: cfg.ldap_verify_cert,
      group: {
        baseDn: cfg.ldap_group_basedn,
        filter: cfg.ldap_group_filter,
        nameAttribute: cfg.ldap_group_gid,
        scope: cfg.ldap_group_scope,
        adminDn: cfg.ldap_group_admin_dn,
        membershipAttribute: cfg.ldap_group_membership_attribute,
      },
    },
    selfRegistration: cfg.self_registration,
    projectCreationRestriction: cfg.project_creation_restriction,
    internalSecretPath: topology.secrets.internalSecret,
    secretKeyPath: topology.secrets.secretKey,
    registryUrl: topology.urls.registry,
    jobserviceUrl: topology.urls.jobservice,
    logCollector: topology.logCollector,
    portalDirectory: portalDirectoryFor(topology),
    registryStorageProviderName: cfg.registry_storage_provider_name,
    log: logSinkFor('core', cfg, topology),
  };
}

/** The portal `pnpm build` produces, where core runs: the checkout natively, the image's /app under compose. */
function portalDirectoryFor(topology: Topology): string {
  const relative = join('services', 'core', 'portal', 'dist');
  return topology.mode === 'compose' ? `/app/${relative}` : join(repoInfo().root, relative);
}
