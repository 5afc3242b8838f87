import type { Db } from '@harbor/db';
import type { RobotLevel, RobotPermission, RobotRecord } from '../domain/robot';
import { escapeLike } from './like';
import type { Page } from './user.dao';

export interface NewRobot {
  name: string;
  description: string;
  secretHash: string;
  projectId: number;
  level: RobotLevel;
  duration: number;
  expiresAt: number;
  disabled: boolean;
  creatorType: string;
  creatorRef: number;
  permissions: RobotPermission[];
}

export interface RobotChange {
  description: string;
  duration: number;
  expiresAt: number;
  disabled: boolean;
  permissions: RobotPermission[];
}

export interface RobotFilter {
  level?: RobotLevel;
  projectId?: number;
  name?: { value: string; fuzzy: boolean };
}

type RobotRow = {
  id: number;
  name: string;
  description: string;
  secret: string;
  project_id: number;
  level: RobotLevel;
  duration: number;
  expires_at: number;
  disabled: number;
  creator_type: string;
  creator_ref: number;
  creation_time: Date;
  update_time: Date;
  project_name: string | null;
};

/** The `robot` and `robot_permission` tables (core is their only writer). */
export class RobotDao {
  constructor(private readonly db: Db) {}

  async findById(id: number): Promise<RobotRecord | undefined> {
    const row = await this.selectRobots().where('robot.id', '=', id).executeTakeFirst();
    return row && (await this.withPermissions([row as RobotRow]))[0];
  }

  /** A robot by its login name's parts: bare name and owning project (null = system). */
  async findByName(name: string, projectName: string | null): Promise<RobotRecord | undefined> {
    let query = this.selectRobots().where('robot.name', '=', name);
    query = projectName === null ? query.where('robot.project_id', '=', 0) : query.where('project.name', '=', projectName);
    const row = await query.executeTakeFirst();
    return row && (await this.withPermissions([row as RobotRow]))[0];
  }

  async exists(name: string, projectId: number): Promise<boolean> {
    const row = await this.db.selectFrom('robot').select('id').where('name', '=', name).where('project_id', '=', projectId).executeTakeFirst();
    return row !== undefined;
  }

  async list(filter: RobotFilter, page: Page): Promise<{ total: number; robots: RobotRecord[] }> {
    let query = this.db
      .selectFrom('robot')
      .leftJoin('project', 'project.project_id', 'robot.project_id')
      // A deleted project's robots are unreachable (no name to log in with); leave them out.
      .where((eb) => eb.or([eb('robot.project_id', '=', 0), eb('project.project_id', 'is not', null)]));
    if (filter.level) query = query.where('robot.level', '=', filter.level);
    if (filter.projectId !== undefined) query = query.where('robot.project_id', '=', filter.projectId);
    if (filter.name) {
      query = filter.name.fuzzy
        ? query.where('robot.name', 'like', `%${escapeLike(filter.name.value)}%`)
        : query.where('robot.name', '=', filter.name.value);
    }
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const ids = await query.select('robot.id').orderBy('robot.id', 'asc').limit(page.limit).offset(page.offset).execute();
    if (ids.length === 0) return { total: Number(counted.total), robots: [] };
    const rows = await this.selectRobots().where('robot.id', 'in', ids.map((r) => r.id)).orderBy('robot.id', 'asc').execute();
    return { total: Number(counted.total), robots: await this.withPermissions(rows as RobotRow[]) };
  }

  /** Inserts the robot and its permissions in one transaction; a duplicate name surfaces as the driver's duplicate-key error. */
  async insert(robot: NewRobot): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const result = await tx
        .insertInto('robot')
        .values({
          name: robot.name,
          description: robot.description,
          secret: robot.secretHash,
          project_id: robot.projectId,
          level: robot.level,
          duration: robot.duration,
          expires_at: robot.expiresAt,
          disabled: robot.disabled ? 1 : 0,
          creator_type: robot.creatorType,
          creator_ref: robot.creatorRef,
        })
        .executeTakeFirstOrThrow();
      const id = Number(result.insertId);
      await insertPermissions(tx, id, robot.permissions);
      return id;
    });
  }

  async update(id: number, change: RobotChange): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('robot')
        .set({
          description: change.description,
          duration: change.duration,
          expires_at: change.expiresAt,
          disabled: change.disabled ? 1 : 0,
          update_time: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await tx.deleteFrom('robot_permission').where('robot_id', '=', id).execute();
      await insertPermissions(tx, id, change.permissions);
    });
  }

  async updateSecret(id: number, secretHash: string): Promise<void> {
    await this.db.updateTable('robot').set({ secret: secretHash, update_time: new Date() }).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('robot').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  private selectRobots() {
    return this.db
      .selectFrom('robot')
      .leftJoin('project', 'project.project_id', 'robot.project_id')
      .where((eb) => eb.or([eb('robot.project_id', '=', 0), eb('project.project_id', 'is not', null)]))
      .selectAll('robot')
      .select('project.name as project_name');
  }

  private async withPermissions(rows: RobotRow[]): Promise<RobotRecord[]> {
    if (rows.length === 0) return [];
    const entries = await this.db
      .selectFrom('robot_permission')
      .selectAll()
      .where('robot_id', 'in', rows.map((r) => r.id))
      .orderBy('id', 'asc')
      .execute();
    const byRobot = new Map<number, RobotPermission[]>();
    for (const entry of entries) {
      const scopes = byRobot.get(entry.robot_id) ?? [];
      let scope = scopes.find((s) => s.kind === entry.kind && s.namespace === entry.namespace);
      if (!scope) {
        scope = { kind: entry.kind, namespace: entry.namespace, access: [] };
        scopes.push(scope);
      }
      scope.access.push({ resource: entry.resource, action: entry.action, effect: entry.effect });
      byRobot.set(entry.robot_id, scopes);
    }
    return rows.map((row) => toRecord(row, byRobot.get(row.id) ?? []));
  }
}

async function insertPermissions(tx: Db, robotId: number, permissions: RobotPermission[]): Promise<void> {
  const values = permissions.flatMap((scope) =>
    scope.access.map((a) => ({ robot_id: robotId, kind: scope.kind, namespace: scope.namespace, resource: a.resource, action: a.action, effect: a.effect })),
  );
  // Chunked so a system robot with many projects stays within packet and placeholder limits.
  for (let i = 0; i < values.length; i += 500) {
    await tx.insertInto('robot_permission').values(values.slice(i, i + 500)).execute();
  }
}

function toRecord(row: RobotRow, permissions: RobotPermission[]): RobotRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    secretHash: row.secret,
    projectId: row.project_id,
    projectName: row.project_id === 0 ? null : row.project_name,
    level: row.level,
    duration: Number(row.duration),
    expiresAt: Number(row.expires_at),
    disabled: Boolean(row.disabled),
    creatorType: row.creator_type,
    creatorRef: row.creator_ref,
    creationTime: row.creation_time,
    updateTime: row.update_time,
    permissions,
  };
}
