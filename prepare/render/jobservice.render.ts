import type { JobserviceConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';
import { logSinkFor } from './log-sink';

export function renderJobservice(cfg: HarborCfg, topology: Topology): JobserviceConfig {
  return {
    listen: { host: topology.bindHost, port: cfg.jobservice_port },
    redisUrl: topology.redisUrl,
    redisPrefix: cfg.redis_key_prefix,
    maxJobWorkers: cfg.max_job_workers,
    registryUrl: topology.urls.registry,
    coreUrl: topology.urls.core,
    internalSecretPath: topology.secrets.internalSecret,
    uploadPurge: { maxAgeMinutes: cfg.upload_purge_age_minutes, intervalMinutes: cfg.upload_purge_interval_minutes },
    log: logSinkFor('jobservice', cfg, topology),
  };
}
