import type { Db } from '@harbor/db';

/** Projects are core's; the registry only reads them to place repositories. */
export class ProjectDao {
  constructor(private readonly db: Db) {}

  async idByName(name: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('project').select('project_id').where('name', '=', name).executeTakeFirst();
    return row?.project_id;
  }
}
