import type { Logger } from '@harbor/logging';
import type { SecretBox } from '../auth/secret-box';
import type { SystemSettingDao } from '../dao/system-setting.dao';
import { ConfigurationValue, configurationItems, configurationProblem, SettingsReader, SystemSettings, withValues } from '../domain/system-settings';

export interface SystemSettingsStoreOptions {
  /** How long a read is reused; other replicas see a change within this time. */
  ttlMs?: number;
  now?: () => number;
}

/** Long enough that a burst of requests reads the table once, short enough that replicas agree soon. */
export const defaultSettingsTtlMs = 5_000;

/**
 * The settings in force: harbor.cfg's values (`base`) with the rows of
 * `system_setting` on top, read through a small cache. A change made here
 * drops the cache at once; other replicas pick it up within the TTL. Reads
 * never fail a request once one has succeeded: if the database is briefly
 * away the last settings stay in force (and a warning is logged).
 */
export class SystemSettingsStore implements SettingsReader {
  private cached: { settings: SystemSettings; at: number } | undefined;
  private loading: Promise<SystemSettings> | undefined;
  private generation = 0;
  /** Stored rows already reported as unusable: logged once, not at every reload. */
  private readonly reported = new Set<string>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly dao: SystemSettingDao,
    private readonly base: SystemSettings,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    options: SystemSettingsStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? defaultSettingsTtlMs;
    this.now = options.now ?? Date.now;
  }

  async current(): Promise<SystemSettings> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.settings;
    // One read at a time, however many requests find the cache stale.
    if (!this.loading) {
      const loading: Promise<SystemSettings> = this.load().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** Stores checked values (see configurationProblem); secrets are sealed first. The next read sees them. */
  async save(values: Record<string, ConfigurationValue>): Promise<void> {
    const rows = new Map<string, string>();
    for (const [name, value] of Object.entries(values)) {
      const stored = configurationItems[name]?.secret ? this.secrets.seal(String(value)) : value;
      rows.set(name, JSON.stringify(stored));
    }
    try {
      await this.dao.put(rows);
    } finally {
      this.invalidate();
    }
  }

  invalidate(): void {
    this.cached = undefined;
    // A read that started before the change must neither serve later callers nor put the old values back in the cache.
    this.loading = undefined;
    this.generation++;
  }

  private async load(): Promise<SystemSettings> {
    const generation = this.generation;
    let rows: Map<string, string>;
    try {
      rows = await this.dao.all();
    } catch (err) {
      if (!this.cached) throw err;
      this.logger.warning(`settings: could not read system_setting, keeping the last settings: ${String(err)}`);
      this.cached = { settings: this.cached.settings, at: this.now() };
      return this.cached.settings;
    }
    const settings = withValues(this.base, this.decode(rows));
    if (generation === this.generation) this.cached = { settings, at: this.now() };
    return settings;
  }

  /** Rows as values; a row that does not decode or no longer fits its key is skipped (harbor.cfg's value stays). */
  private decode(rows: Map<string, string>): Record<string, ConfigurationValue> {
    const values: Record<string, ConfigurationValue> = {};
    for (const [name, text] of rows) {
      try {
        let value = JSON.parse(text) as unknown;
        if (configurationItems[name]?.secret && typeof value === 'string') value = this.secrets.open(value);
        const problem = configurationProblem(name, value);
        if (problem) throw new Error(problem);
        values[name] = value as ConfigurationValue;
      } catch (err) {
        if (this.reported.has(`${name}=${text}`)) continue;
        this.reported.add(`${name}=${text}`);
        this.logger.warning(`settings: ignoring stored ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return values;
  }
}
