import type { Db } from '@harbor/db';

/** The `system_setting` table (core writes it): configuration keys changed through the API, values as stored text. */
export class SystemSettingDao {
  constructor(private readonly db: Db) {}

  async all(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('system_setting').select(['name', 'value']).execute();
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  /** Inserts or replaces the given keys together: a PUT changes all of them or none. */
  async put(values: Map<string, string>): Promise<void> {
    if (values.size === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const [name, value] of values) {
        await tx
          .insertInto('system_setting')
          .values({ name, value })
          .onDuplicateKeyUpdate({ value, update_time: new Date() })
          .execute();
      }
    });
  }
}
