import type { DatabaseConfig, TokenVerifyConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';

/** The token contract between core (issuer) and registry (verifier); fixed names as in Harbor. */
export const tokenIssuer = 'harbor-token-issuer';
export const tokenService = 'harbor-registry';

export function tokenFor(topology: Topology): TokenVerifyConfig {
  return { issuer: tokenIssuer, service: tokenService, publicKeyPath: topology.secrets.publicKey };
}

export function databaseFor(cfg: HarborCfg, topology: Topology): DatabaseConfig {
  return {
    host: topology.database.host,
    port: topology.database.port,
    user: cfg.db_user,
    password: cfg.db_password,
    database: cfg.db_name,
    maxConnections: 20,
  };
}
