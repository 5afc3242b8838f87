import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ServiceName } from '@harbor/config';
import { HarborCfgError, sortIssues } from './cfg-issue';
import { parseCfg } from './cfg.parser';
import type { HarborCfg } from './cfg.schema';
import { validateCfg } from './cfg.validator';
import { containerUid, mariadbEnvFile, renderCompose, renderMariadbEnv } from './compose.render';
import { handOverToContainers } from './container-ownership';
import { writeIfChanged } from './file-writer';
import { renderServiceConfigs } from './render';
import { repoInfo } from './repo-root';
import { ensureSecrets } from './secrets';
import { topologyOf, type PrepareMode } from './topology';

export { HarborCfgError, formatIssues } from './cfg-issue';
export type { CfgIssue } from './cfg-issue';
export type { HarborCfg } from './cfg.schema';
export type { PrepareMode } from './topology';
export { externalUrlOf } from './topology';

export interface PrepareOptions {
  cfgPath: string;
  outDir: string;
  /** Where to write docker-compose.yml; null to skip it. */
  composePath: string | null;
  mode: PrepareMode;
  /** Validate and report what would change, writing nothing. */
  check?: boolean;
}

export interface PrepareResult {
  /** `<outDir>/<service>/config.json`, the path each service is started with. */
  configPaths: Record<ServiceName, string>;
  /** Files written (with `check`: files that would be written). */
  written: string[];
  unchanged: string[];
}

/**
 * prepare as a straight line: read harbor.cfg → validate → derive the
 * topology → render and self-check each service's config → secrets → write
 * what changed → compose file last. Throws HarborCfgError, listing every
 * problem, when harbor.cfg is unusable; nothing is written in that case.
 */
export async function runPrepare(options: PrepareOptions): Promise<PrepareResult> {
  const check = options.check ?? false;
  const outDir = resolve(options.outDir);
  const cfg = await loadCfg(options.cfgPath);
  const topology = topologyOf(cfg, options.mode);
  const configs = renderServiceConfigs(cfg, topology);

  const written: string[] = [];
  const unchanged: string[] = [];
  const record = (path: string, outcome: 'written' | 'unchanged') => (outcome === 'written' ? written : unchanged).push(path);

  const secrets = await ensureSecrets(cfg.secretkey_path, { dryRun: check });
  written.push(...secrets.changed);
  unchanged.push(...secrets.unchanged);

  const configPaths = {} as Record<ServiceName, string>;
  for (const [service, config] of Object.entries(configs) as [ServiceName, unknown][]) {
    const path = join(outDir, service, 'config.json');
    configPaths[service] = path;
    record(path, await writeIfChanged(path, `${JSON.stringify(config, null, 2)}\n`, 0o600, check));
  }

  if (options.composePath !== null) {
    const composePath = resolve(options.composePath);
    const { root, version } = repoInfo();
    const layout = { composeDirectory: dirname(composePath), configDirectory: outDir, repoRoot: root, version };
    if (topologyOf(cfg, 'compose').bundled.mariadb) {
      const envPath = mariadbEnvFile(outDir);
      record(envPath, await writeIfChanged(envPath, renderMariadbEnv(cfg), 0o600, check));
    }
    record(composePath, await writeIfChanged(composePath, renderCompose(cfg, layout), 0o644, check));
  }

  if (options.mode === 'compose' && !check) {
    await handOverToContainers(
      {
        files: [...Object.values(configPaths), ...Object.values(secrets.paths)],
        writableDirectories: [
          // uploads/ too: it is the proxy's own mount as well, which Docker would otherwise create root-owned.
          ...(cfg.registry_storage_provider_name === 'filesystem' ? [join(cfg.data_volume, 'registry'), join(cfg.data_volume, 'registry', 'uploads')] : []),
          cfg.log_location,
        ],
      },
      containerUid,
    );
  }
  return { configPaths, written, unchanged };
}

/** Reads and validates harbor.cfg; every problem is reported at once. */
export async function loadCfg(cfgPath: string): Promise<HarborCfg> {
  let text: string;
  try {
    text = await readFile(cfgPath, 'utf8');
  } catch (err) {
    throw new HarborCfgError(cfgPath, [{ key: null, line: null, message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }]);
  }
  const result = validateCfg(parseCfg(text));
  if (!result.ok) throw new HarborCfgError(cfgPath, sortIssues(result.issues));
  return result.value.cfg;
}
