import type { Logger } from '@harbor/logging';
import type { RegistryEvent } from './registry-event';

/** Something that reacts to registry events (the log now; pull counts and audit later). */
export interface RegistryEventListener {
  onEvents(events: RegistryEvent[]): Promise<void>;
}

/** Hands each batch of registry events to every listener; one failing listener does not stop the others. */
export class NotificationController {
  constructor(
    private readonly listeners: RegistryEventListener[],
    private readonly logger: Logger,
  ) {}

  async receive(events: RegistryEvent[]): Promise<void> {
    const results = await Promise.allSettled(this.listeners.map((l) => l.onEvents(events)));
    for (const result of results) {
      if (result.status === 'rejected') this.logger.error(`registry event listener failed: ${String(result.reason)}`);
    }
  }
}

/** `push library/hello:1 sha256:… by alice` for every event. */
export class EventLogListener implements RegistryEventListener {
  constructor(private readonly logger: Logger) {}

  async onEvents(events: RegistryEvent[]): Promise<void> {
    // Pulls are the bulk of events (one per manifest GET): a line each only at debug.
    for (const event of events) {
      if (event.action === 'pull') {
        if (this.logger.isLevelEnabled('debug')) this.logger.debug(describeEvent(event));
      } else this.logger.info(describeEvent(event));
    }
  }
}

export function describeEvent(event: RegistryEvent): string {
  const target = event.target.tag ? `${event.target.repository}:${event.target.tag}` : event.target.repository;
  const actor = event.actor?.name ? event.actor.name : 'anonymous';
  // Names and tags are validated by the registry, but a log line must never be split by what a client sent.
  return `${event.action} ${target} ${event.target.digest} by ${actor}`.replace(/[\r\n\t]/g, ' ');
}
