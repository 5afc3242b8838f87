import { serviceConfigSchemas, type ServiceName } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';
import { renderCore } from './core.render';
import { renderJobservice } from './jobservice.render';
import { renderLog } from './log.render';
import { renderProxy } from './proxy.render';
import { renderRegistry } from './registry.render';

const renderers: Record<ServiceName, (cfg: HarborCfg, topology: Topology) => unknown> = {
  log: renderLog,
  registry: renderRegistry,
  core: renderCore,
  jobservice: renderJobservice,
  proxy: renderProxy,
};

/**
 * Renders every service's config and checks it against the service's own
 * schema, so prepare can never write a file the service would refuse. A
 * failure here is a bug in prepare, not in harbor.cfg.
 */
export function renderServiceConfigs(cfg: HarborCfg, topology: Topology): Record<ServiceName, unknown> {
  const out = {} as Record<ServiceName, unknown>;
  for (const service of Object.keys(renderers) as ServiceName[]) {
    const parsed = serviceConfigSchemas[service].safeParse(renderers[service](cfg, topology));
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`prepare rendered an invalid ${service} config (${detail})`);
    }
    out[service] = parsed.data;
  }
  return out;
}
