import type { ArtifactStatDao } from '../dao/artifact-stat.dao';
import type { AuditEntry } from '../dao/audit-log.dao';
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

  /**
   * One batch from the registry (it batches pulls of busy manifests): pulls
   * of the same artifact are added up into one row update, and the batch's
   * audit entries go in one insert. Pushes and deletes keep their order, and
   * pulls counted before a delete of the same artifact are written before it.
   */
  async onEvents(events: RegistryEvent[]): Promise<void> {
    const projectNames = [...new Set(events.map((e) => projectOf(e.target.repository)))];
    const projectIds = new Map((await this.projects.findByNames(projectNames)).map((p) => [p.name, p.projectId]));
    const pulls = new Map<string, { repository: string; digest: string; count: number; at: Date }>();
    const flushPulls = async (only?: (key: string) => boolean) => {
      for (const [key, p] of pulls) {
        if (only && !only(key)) continue;
        await this.stats.recordPulls(p.repository, p.digest, p.count, p.at);
        pulls.delete(key);
      }
    };
    const entries: AuditEntry[] = [];
    for (const event of events) {
      const { repository, digest, tag } = event.target;
      const at = eventTime(event);
      const key = `${repository}@${digest}`;
      if (event.action === 'pull') {
        const seen = pulls.get(key);
        if (seen) {
          seen.count += 1;
          if (at > seen.at) seen.at = at;
        } else pulls.set(key, { repository, digest, count: 1, at });
      } else if (event.action === 'push') {
        await this.stats.recordPush(repository, digest, at);
      } else if (!tag) {
        await flushPulls((k) => k === key);
        await this.stats.forget(repository, digest);
      }

      if ((event.request?.useragent ?? '').startsWith(coreUserAgentPrefix)) continue;
      entries.push({
        projectId: projectIds.get(projectOf(repository)) ?? 0,
        operation: event.action === 'push' ? 'create' : event.action,
        resourceType: 'artifact',
        resource: tag ? `${repository}:${tag}` : `${repository}@${digest}`,
        username: event.actor?.name || 'anonymous',
        opTime: eventTime(event),
      });
    }
    await flushPulls();
    if (entries.length > 0) await this.audit.record(...entries);
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
