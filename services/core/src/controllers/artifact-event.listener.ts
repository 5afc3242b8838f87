import type { ArtifactStatDao } from '../dao/artifact-stat.dao';
import type { ProjectDao } from '../dao/project.dao';
import { coreUserAgentPrefix } from '../registry/registry-client';
import type { AuditLog } from './audit-log';
import type { RegistryEventListener } from './notification.controller';
import type { RegistryEvent } from './registry-event';

/**
 * Keeps what registry events say that the registry's tables do not: push
 * time, pull time and pull count per artifact, and the audit entries of
 * clients' pushes, pulls and deletes. Core's own writes through the registry
 * (retag, API deletes) are audited where they are made, so their events are
 * recognised by User-Agent and not audited twice.
 */
export class ArtifactEventListener implements RegistryEventListener {
  constructor(
    private readonly stats: ArtifactStatDao,
    private readonly projects: ProjectDao,
    private readonly audit: AuditLog,
  ) {}

  async onEvents(events: RegistryEvent[]): Promise<void> {
    const projectNames = [...new Set(events.map((e) => projectOf(e.target.repository)))];
    const projectIds = new Map((await this.projects.findByNames(projectNames)).map((p) => [p.name, p.projectId]));
    for (const event of events) {
      const { repository, digest, tag } = event.target;
      const at = eventTime(event);
      if (event.action === 'push') await this.stats.recordPush(repository, digest, at);
      else if (event.action === 'pull') await this.stats.recordPulls(repository, digest, 1, at);
      else if (!tag) await this.stats.forget(repository, digest);

      if ((event.request?.useragent ?? '').startsWith(coreUserAgentPrefix)) continue;
      await this.audit.record({
        projectId: projectIds.get(projectOf(repository)) ?? 0,
        operation: event.action === 'push' ? 'create' : event.action,
        resourceType: 'artifact',
        resource: tag ? `${repository}:${tag}` : `${repository}@${digest}`,
        username: event.actor?.name || 'anonymous',
      });
    }
  }
}

function projectOf(repository: string): string {
  return repository.split('/')[0]!;
}

/** The event's own time when it is a sane one, else now: a late or replayed event must not move times into the future. */
function eventTime(event: RegistryEvent): Date {
  const t = Date.parse(event.timestamp);
  const now = Date.now();
  return Number.isFinite(t) && t <= now + 60_000 ? new Date(t) : new Date(now);
}
