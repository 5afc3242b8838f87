import { randomUUID } from 'node:crypto';
import { internalAuthorization } from '@harbor/auth';
import type { Logger } from '@harbor/logging';
import { RegistryEvent, RegistryEventAction, registryEventsMediaType } from './registry-event';

export interface EventNotifierOptions {
  /** Core's receiver, `<core>/service/notifications`. */
  url: string;
  internalSecret: string;
  externalUrl: string;
  /** `host:port` of this registry, for `source.addr` (a function: the port is known only once listening). */
  sourceAddr: () => string;
  logger: Logger;
  /** Delays before each retry; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** How long a push or delete event waits for others to share its POST (default 20 ms). */
  batchDelayMs?: number;
  /** How long a pull event waits (default 250 ms): pulls come in floods and nobody waits on them. */
  pullBatchDelayMs?: number;
  /** Most events in one POST (default `defaultMaxBatch`). */
  maxBatch?: number;
}

export interface ManifestTarget {
  repository: string;
  digest: string;
  mediaType: string;
  size: number;
  tag?: string | null;
}

export interface RequestInfo {
  id: string;
  addr: string;
  host: string;
  method: string;
  useragent: string;
}

/** Defaults of the batching windows. */
export const defaultBatchDelayMs = 20;
export const defaultPullBatchDelayMs = 250;
/**
 * Most events in one POST. Under a pull flood every POST costs core an HTTP
 * request, a project lookup, a pull-count update and an audit insert, and the
 * registry a fetch, whatever its size: with 100 a flood of ~4000 pulls/s sent
 * 40 POSTs a second and core spent ~40 µs per pull. 1000 events (~0.7 MB of
 * JSON, under core's 5 MB body limit) make that one POST per pull window.
 * Core refuses an envelope of more than 1000 events, so this is also the most.
 */
export const defaultMaxBatch = 1000;

/**
 * Sends registry events to core after the response has gone: best effort, a
 * short retry, never in the client's way. Events share POSTs (the envelope
 * is a list): one request per manifest GET cost the registry a fetch and
 * core a request each, which under load was most of a pull's price. A batch
 * goes out when its earliest deadline comes: a pull waits up to
 * `pullBatchDelayMs`, so a pull-heavy load costs core about one POST per
 * 250 ms; a push or delete waits only `batchDelayMs` (core scans and
 * replicates on pushes, and tests and people look right after one) and takes
 * the queued pulls with it. `stop()` sends what is queued, gives in-flight
 * sends a moment and then abandons them.
 */
export class EventNotifier {
  private readonly instanceId = randomUUID();
  /** Where target URLs start (the external URL without a trailing slash), worked out once rather than per event. */
  private readonly manifestsBase: string;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private queued: RegistryEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (ms since the epoch). */
  private flushAt = 0;

  constructor(private readonly options: EventNotifierOptions) {
    this.manifestsBase = `${options.externalUrl.replace(/\/$/, '')}/v2/`;
  }

  manifestEvent(action: RegistryEventAction, target: ManifestTarget, request: RequestInfo, actor: string): void {
    const event: RegistryEvent = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      action,
      target: {
        mediaType: target.mediaType,
        size: target.size,
        digest: target.digest,
        repository: target.repository,
        ...(target.tag ? { tag: target.tag } : {}),
        url: `${this.manifestsBase}${target.repository}/manifests/${target.digest}`,
      },
      request,
      actor: { name: actor },
      source: { addr: this.options.sourceAddr(), instanceID: this.instanceId },
    };
    this.queued.push(event);
    if (this.queued.length >= (this.options.maxBatch ?? defaultMaxBatch)) {
      this.flush();
      return;
    }
    const delay = action === 'pull' ? (this.options.pullBatchDelayMs ?? defaultPullBatchDelayMs) : (this.options.batchDelayMs ?? defaultBatchDelayMs);
    const at = Date.now() + delay;
    // A batch leaves at its earliest deadline: a push brings waiting pulls forward, a pull never delays a push.
    if (this.flushTimer && this.flushAt <= at) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    const sending = this.send(batch).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  async stop(graceMs = 2_000): Promise<void> {
    this.flush();
    const all = Promise.all([...this.inFlight]);
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timer]);
    this.abort.abort();
  }

  private async send(events: RegistryEvent[]): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [200, 1_000];
    const body = JSON.stringify({ events });
    let lastProblem = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]!);
      if (this.abort.signal.aborted) return;
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'Content-Type': registryEventsMediaType,
            Authorization: internalAuthorization(this.options.internalSecret),
          },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs ?? 5_000)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        lastProblem = `HTTP ${response.status}`;
        // A 4xx will not get better by asking again.
        if (response.status < 500) break;
      } catch (err) {
        lastProblem = (err as Error).message;
      }
    }
    const first = events[0]!;
    const more = events.length > 1 ? ` and ${events.length - 1} more` : '';
    this.options.logger.warning(`registry event ${first.action} ${first.target.repository}@${first.target.digest}${more} not delivered: ${lastProblem}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
