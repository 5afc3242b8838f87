import { Db, sql } from '@harbor/db';

export interface ArtifactStat {
  pushTime: Date | null;
  pullTime: Date | null;
  pullCount: number;
}

/** The `artifact_stat` table (core writes it from registry events). */
export class ArtifactStatDao {
  constructor(private readonly db: Db) {}

  async recordPush(repositoryName: string, digest: string, at: Date): Promise<void> {
    await this.db
      .insertInto('artifact_stat')
      .values({ repository_name: repositoryName, digest, push_time: at, pull_time: null })
      .onDuplicateKeyUpdate({ push_time: at })
      .execute();
  }

  /** Counts add up; the pull time only moves forward, however late an event arrives. */
  async recordPulls(repositoryName: string, digest: string, count: number, at: Date): Promise<void> {
    await this.db
      .insertInto('artifact_stat')
      .values({ repository_name: repositoryName, digest, push_time: null, pull_time: at, pull_count: count })
      .onDuplicateKeyUpdate({
        pull_count: sql<number>`pull_count + ${count}`,
        pull_time: sql<Date>`GREATEST(COALESCE(pull_time, ${at}), ${at})`,
      })
      .execute();
  }

  async forget(repositoryName: string, digest?: string): Promise<void> {
    let query = this.db.deleteFrom('artifact_stat').where('repository_name', '=', repositoryName);
    if (digest !== undefined) query = query.where('digest', '=', digest);
    await query.execute();
  }

  async statsOf(repositoryName: string, digests: string[]): Promise<Map<string, ArtifactStat>> {
    const result = new Map<string, ArtifactStat>();
    if (digests.length === 0) return result;
    const rows = await this.db
      .selectFrom('artifact_stat')
      .selectAll()
      .where('repository_name', '=', repositoryName)
      .where('digest', 'in', digests)
      .execute();
    for (const r of rows) result.set(r.digest, { pushTime: r.push_time, pullTime: r.pull_time, pullCount: r.pull_count });
    return result;
  }
}
