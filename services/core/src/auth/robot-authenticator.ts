import type { RobotDao } from '../dao/robot.dao';
import { parseRobotLoginName, RobotRecord, robotUnusable } from '../domain/robot';
import type { PasswordHasher } from './password-hasher';
import type { VerificationCache } from './verification-cache';

/**
 * Robot logins: `robot$<name>` or `robot$<project>+<name>` with the robot's
 * secret. Disabled and expired robots are refused like a wrong secret; an
 * unknown robot still costs one KDF run, so timing does not reveal names.
 */
export class RobotAuthenticator {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly robots: RobotDao,
    private readonly hasher: PasswordHasher,
    private readonly cache: VerificationCache,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(login: string, secret: string): Promise<RobotRecord | null> {
    const parsed = parseRobotLoginName(login);
    if (!parsed || secret === '') return null;
    const robot = parsed.name.length <= 255 && (parsed.projectName?.length ?? 0) <= 255 ? await this.robots.findByName(parsed.name, parsed.projectName) : undefined;
    if (!robot) {
      await this.hasher.verify(secret, await this.dummy());
      return null;
    }
    if (!this.cache.recalls(login, secret, robot.secretHash)) {
      if (!(await this.hasher.verify(secret, robot.secretHash))) return null;
      this.cache.remember(login, secret, robot.secretHash);
    }
    // Checked after the secret, so only the robot's holder learns it is expired or disabled.
    if (robotUnusable(robot, Math.floor(this.now() / 1000))) return null;
    return robot;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash('not a robot secret anyone has');
    return this.dummyHash;
  }
}
