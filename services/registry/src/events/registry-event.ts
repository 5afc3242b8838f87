/**
 * The registry's notification envelope, as Distribution sends it and Harbor's
 * core reads it (media type application/vnd.docker.distribution.events.v1+json).
 */
export const registryEventsMediaType = 'application/vnd.docker.distribution.events.v1+json';

export type RegistryEventAction = 'push' | 'pull' | 'delete';

export interface RegistryEvent {
  id: string;
  timestamp: string;
  action: RegistryEventAction;
  target: {
    mediaType: string;
    size: number;
    digest: string;
    repository: string;
    tag?: string;
    url: string;
  };
  request: { id: string; addr: string; host: string; method: string; useragent: string };
  actor: { name: string };
  source: { addr: string; instanceID: string };
}

export interface RegistryEventEnvelope {
  events: RegistryEvent[];
}
