import { z } from 'zod';
import { internalAuthorization } from '@harbor/auth';

/** The registry's internal API, as the jobs see it. */
export interface RegistryClient {
  /** Removes upload sessions idle for `olderThanMinutes`; resolves to how many went. */
  purgeUploads(olderThanMinutes: number): Promise<{ purged: number }>;
}

export interface HttpRegistryClientOptions {
  /** `registryUrl` from the config, e.g. `http://127.0.0.1:5050`. */
  baseUrl: string;
  internalSecret: string;
  /** Purging many sessions on slow storage takes a while, but never forever. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

const purgeResponseSchema = z.object({ purged: z.number().int().min(0) });

/** Talks to the registry over HTTP with the service-to-service secret. */
export class HttpRegistryClient implements RegistryClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof globalThis.fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpRegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
  }

  async purgeUploads(olderThanMinutes: number): Promise<{ purged: number }> {
    const url = `${this.baseUrl}/internal/uploads/purge`;
    const response = await this.fetch(url, {
      method: 'POST',
      headers: {
        Authorization: internalAuthorization(this.options.internalSecret),
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ olderThanMinutes }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`registry answered ${response.status} to POST ${url}: ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`registry answered POST ${url} with a body that is not JSON`);
    }
    const parsed = purgeResponseSchema.safeParse(body);
    if (!parsed.success) throw new Error(`registry answered POST ${url} without a purged count`);
    return { purged: parsed.data.purged };
  }
}
