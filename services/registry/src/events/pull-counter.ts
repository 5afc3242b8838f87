import type { Logger } from '@harbor/logging';
import type { RepositoryDao } from '../dao/repository.dao';

/**
 * Repository pull counts, added up in memory and written every few seconds:
 * one UPDATE per manifest GET would serialise a busy repository's pulls on a
 * single row lock.
 */
export class PullCounter {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repositories: RepositoryDao,
    private readonly logger: Logger,
    intervalMs = 5_000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  count(repository: string): void {
    this.pending.set(repository, (this.pending.get(repository) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const [name, count] of batch) {
      await this.repositories.addPulls(name, count).catch((err: unknown) => {
        this.logger.warning(`could not record ${count} pulls of ${name}: ${(err as Error).message}`);
      });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
