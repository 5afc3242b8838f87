import type { Logger } from '@harbor/logging';
import { parseConfig } from '../domain/image-config';
import type { RegistryClient } from './registry-client';

/** Configs bigger than this are not shown (real image configs are a few KiB). */
const maxConfigBytes = 1024 * 1024;

/**
 * Image configs read through the registry's /v2 API. A config is addressed
 * by its digest, so a cached copy never goes stale; the cache is bounded.
 */
export class ImageConfigs {
  private readonly cache = new Map<string, Record<string, unknown> | null>();

  constructor(
    private readonly registry: RegistryClient,
    private readonly logger: Logger,
    private readonly maxEntries = 2000,
  ) {}

  /** The parsed config, or null when it cannot be read or is not JSON (the caller shows less, never fails). */
  async get(repository: string, digest: string): Promise<Record<string, unknown> | null> {
    const cached = this.cache.get(digest);
    if (cached !== undefined) return cached;
    let config: Record<string, unknown> | null;
    try {
      config = parseConfig(await this.registry.getBlob(repository, digest, maxConfigBytes));
    } catch (err) {
      this.logger.warning(`cannot read config ${digest} of ${repository}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(digest, config);
    return config;
  }

  /** Strict variant for build history: a missing config is the caller's 404, not an empty list. */
  async require(repository: string, digest: string): Promise<Record<string, unknown> | null> {
    return parseConfig(await this.registry.getBlob(repository, digest, maxConfigBytes));
  }
}
