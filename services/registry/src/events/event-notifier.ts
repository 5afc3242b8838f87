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

/**
 * Sends registry events to core after the response has gone: best effort, a
 * short retry, never in the client's way. `stop()` gives in-flight sends a
 * moment and then abandons them.
 */
export class EventNotifier {
  private readonly instanceId = randomUUID();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: EventNotifierOptions) {}

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
        url: `${this.options.externalUrl.replace(/\/$/, '')}/v2/${target.repository}/manifests/${target.digest}`,
      },
      request,
      actor: { name: actor },
      source: { addr: this.options.sourceAddr(), instanceID: this.instanceId },
    };
    const sending = this.send(event).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  async stop(graceMs = 2_000): Promise<void> {
    const all = Promise.all([...this.inFlight]);
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timer]);
    this.abort.abort();
  }

  private async send(event: RegistryEvent): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [200, 1_000];
    const body = JSON.stringify({ events: [event] });
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
    this.options.logger.warning(`registry event ${event.action} ${event.target.repository}@${event.target.digest} not delivered: ${lastProblem}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
