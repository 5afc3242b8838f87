import { Db, preparedQuery } from '@harbor/db';

const projectIdByName = preparedQuery<{ project_id: number }>('SELECT project_id FROM project WHERE name = ?');

/** Projects are core's; the registry only reads them to place repositories. */
export class ProjectDao {
  constructor(private readonly db: Db) {}

  async idByName(name: string): Promise<number | undefined> {
    const row = await projectIdByName.first(this.db, [name]);
    return row?.project_id;
  }
}
