import { randomInt } from 'node:crypto';
import { AppError } from '@harbor/errors';
import { isDuplicateKey } from '@harbor/db';
import type { PasswordHasher } from '../auth/password-hasher';
import { Caller, isSysadmin } from '../domain/caller';
import { passwordProblem } from '../domain/password-policy';
import { splitAction } from '../domain/permission';
import { expiryOf, RobotLevel, robotLoginName, robotNameProblem, RobotPermission, RobotRecord } from '../domain/robot';
import { robotPermissionsProblem, robotProjectActions } from '../domain/robot-permission';
import type { SettingsReader } from '../domain/system-settings';
import type { ProjectDao } from '../dao/project.dao';
import type { RobotDao, RobotFilter } from '../dao/robot.dao';
import type { Page } from '../dao/user.dao';
import { forbidden, requireSysadmin } from './guards';
import type { ProjectAccess } from './project-access';

export interface RobotCreation {
  name: string;
  description?: string;
  secret?: string;
  level: RobotLevel;
  disable?: boolean;
  duration: number;
  permissions: RobotPermission[];
}

export interface RobotUpdate {
  name: string;
  level: RobotLevel;
  description?: string;
  disable?: boolean;
  duration?: number | null;
  permissions: RobotPermission[];
}

export interface RobotListQuery {
  level?: RobotLevel;
  projectId?: number;
  name?: { value: string; fuzzy: boolean };
}

/** Harbor's longest robot lifetime in days that still fits an expiry in the year 9999. */
const maxDurationDays = 2_900_000;

/**
 * Robot accounts: system robots are managed by system admins; project
 * robots by whoever holds `robot:*` in the project (project admins), and
 * only with permissions inside that project that the creator holds too.
 * The secret is shown once, at creation or refresh, and stored hashed.
 */
export class RobotController {
  constructor(
    private readonly robots: RobotDao,
    private readonly projects: ProjectDao,
    private readonly access: ProjectAccess,
    private readonly hasher: PasswordHasher,
    /** robot_token_duration: the duration of robots created with `duration: 0`, as in Harbor. */
    private readonly settings: SettingsReader,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(caller: Caller, input: RobotCreation): Promise<{ robot: RobotRecord; secret: string }> {
    const nameProblem = robotNameProblem(input.name);
    if (nameProblem) throw new AppError('BAD_REQUEST', nameProblem);
    const duration = input.duration === 0 ? (await this.settings.current()).robotTokenDurationDays : input.duration;
    durationCheck(duration);
    let projectId = 0;
    if (input.level === 'project') {
      const namespace = input.permissions.length === 1 ? input.permissions[0]!.namespace : '';
      if (namespace === '' || input.permissions[0]!.kind !== 'project') {
        throw new AppError('BAD_REQUEST', 'a project robot has exactly one permission scope: kind "project" with the project name as namespace');
      }
      projectId = (await this.mayManageProjectRobots(caller, namespace, 'robot:create', input.permissions)).projectId;
    } else {
      requireSysadmin(caller);
    }
    await this.checkPermissions(input.level, input.permissions, input.level === 'project' ? input.permissions[0]!.namespace : null);
    const secret = input.secret !== undefined && input.secret !== '' ? acceptedSecret(input.secret) : generateSecret();
    if (await this.robots.exists(input.name, projectId)) throw new AppError('CONFLICT', `a robot named ${input.name} already exists`);
    const creation = this.now();
    try {
      const id = await this.robots.insert({
        name: input.name,
        description: input.description ?? '',
        secretHash: await this.hasher.hash(secret),
        projectId,
        level: input.level,
        duration,
        expiresAt: expiryOf(creation, duration),
        disabled: input.disable ?? false,
        creatorType: caller.kind === 'robot' ? 'robot' : 'local',
        creatorRef: caller.kind === 'robot' ? caller.robot.id : caller.kind === 'user' ? caller.user.userId : 0,
        permissions: input.permissions,
      });
      return { robot: (await this.robots.findById(id))!, secret };
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `a robot named ${input.name} already exists`);
      throw err;
    }
  }

  async list(caller: Caller, query: RobotListQuery, page: Page): Promise<{ total: number; robots: RobotRecord[] }> {
    const filter: RobotFilter = { ...query };
    if (query.projectId !== undefined) {
      if (query.level === 'system') return { total: 0, robots: [] };
      await this.access.require(caller, { id: query.projectId }, 'robot:list');
      filter.level = 'project';
    } else if (!isSysadmin(caller)) {
      // Listing across projects (or system robots) is for system admins; others list one project's robots.
      if (caller.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
      throw forbidden('forbidden: only system administrators can list robots across projects; filter by ProjectID');
    }
    return this.robots.list(filter, page);
  }

  async get(caller: Caller, id: number): Promise<RobotRecord> {
    return this.mayUse(caller, id, 'robot:read');
  }

  async update(caller: Caller, id: number, input: RobotUpdate): Promise<void> {
    const robot = await this.mayUse(caller, id, 'robot:update');
    if (input.level !== robot.level) throw new AppError('BAD_REQUEST', 'the level of a robot cannot be changed');
    if (input.name !== robot.name && input.name !== robotLoginName(robot)) throw new AppError('BAD_REQUEST', 'the name of a robot cannot be changed');
    const duration = input.duration ?? robot.duration;
    durationCheck(duration);
    if (robot.level === 'project') {
      const namespace = input.permissions.length === 1 ? input.permissions[0]!.namespace : '';
      if (namespace !== robot.projectName) {
        throw new AppError('BAD_REQUEST', `a project robot has exactly one permission scope: kind "project", namespace "${robot.projectName ?? ''}"`);
      }
      await this.mayManageProjectRobots(caller, namespace, 'robot:update', input.permissions);
    }
    await this.checkPermissions(robot.level, input.permissions, robot.projectName);
    await this.robots.update(id, {
      description: input.description ?? robot.description,
      duration,
      expiresAt: expiryOf(robot.creationTime, duration),
      disabled: input.disable ?? robot.disabled,
      permissions: input.permissions,
    });
  }

  /** A new secret: the given one if it meets the password rule, else a generated one. Shown once. */
  async refreshSecret(caller: Caller, id: number, given: string | undefined): Promise<string> {
    await this.mayUse(caller, id, 'robot:update');
    const secret = given !== undefined && given !== '' ? acceptedSecret(given) : generateSecret();
    await this.robots.updateSecret(id, await this.hasher.hash(secret));
    return secret;
  }

  async delete(caller: Caller, id: number): Promise<void> {
    await this.mayUse(caller, id, 'robot:delete');
    await this.robots.delete(id);
  }

  /** Finds the robot and checks the caller may act on it: system admins for system robots, the project's `action` otherwise. */
  private async mayUse(caller: Caller, id: number, action: string): Promise<RobotRecord> {
    if (caller.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'unauthorized: authentication required');
    const robot = await this.robots.findById(id);
    if (!robot) {
      // Only callers who could see some robot learn that this id is free.
      throw new AppError('NOT_FOUND', `robot ${id} not found`);
    }
    if (robot.level === 'system' || robot.projectName === null) {
      requireSysadmin(caller);
    } else {
      await this.access.require(caller, { id: robot.projectId }, action);
    }
    return robot;
  }

  /** The caller holds `action` in the project, and every action the permissions grant. */
  private async mayManageProjectRobots(caller: Caller, projectName: string, action: string, permissions: RobotPermission[]): Promise<{ projectId: number }> {
    const { project, standing } = await this.access.require(caller, { name: projectName }, action);
    const granted = robotProjectActions({ level: 'project', projectId: project.projectId, permissions }, { projectId: project.projectId, name: project.name, isPublic: false });
    for (const wanted of granted) {
      if (!standing.actions.has(wanted)) {
        const { resource, action: verb } = splitAction(wanted);
        throw forbidden(`forbidden: the caller cannot grant ${verb} on ${resource} in project ${project.name}`);
      }
    }
    return { projectId: project.projectId };
  }

  private async checkPermissions(level: RobotLevel, permissions: RobotPermission[], ownProject: string | null): Promise<void> {
    const problem = robotPermissionsProblem(level, permissions, ownProject);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    if (level !== 'system') return;
    const named = [...new Set(permissions.filter((p) => p.kind === 'project' && p.namespace !== '*').map((p) => p.namespace))];
    if (named.length === 0) return;
    const found = new Set((await this.projects.findByNames(named)).map((p) => p.name));
    const missing = named.find((name) => !found.has(name));
    if (missing !== undefined) throw new AppError('BAD_REQUEST', `project ${missing} not found`);
  }
}

function durationCheck(duration: number): void {
  if (!Number.isInteger(duration) || (duration !== -1 && (duration < 1 || duration > maxDurationDays))) {
    throw new AppError('BAD_REQUEST', 'duration must be -1 (never expires) or a positive number of days');
  }
}

function acceptedSecret(secret: string): string {
  const problem = passwordProblem(secret);
  if (problem) throw new AppError('BAD_REQUEST', `invalid secret: ${problem}`);
  return secret;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random letters and digits that always satisfy the password rule (upper, lower, digit). */
export function generateSecret(): string {
  for (;;) {
    let secret = '';
    for (let i = 0; i < 32; i++) secret += alphabet[randomInt(alphabet.length)];
    if (passwordProblem(secret) === null) return secret;
  }
}
