import { isDuplicateKey } from '@harbor/db';
import type { Logger } from '@harbor/logging';
import type { PasswordHasher } from '../auth/password-hasher';
import type { ProjectDao } from '../dao/project.dao';
import type { UserDao } from '../dao/user.dao';
import { adminUserId } from './user.controller';

export interface BootstrapDeps {
  users: UserDao;
  projects: ProjectDao;
  hasher: PasswordHasher;
  logger: Logger;
}

/**
 * What a fresh Harbor has: the `admin` system administrator and the public
 * project `library`. Safe to run on every start and from several replicas at
 * once: each step is an insert that the unique keys settle, and nothing that
 * exists is ever changed (an operator's new admin password survives restarts).
 */
export async function bootstrap(deps: BootstrapDeps, adminInitialPassword: string): Promise<void> {
  const admin = await ensureAdmin(deps, adminInitialPassword);
  await ensureLibrary(deps, admin);
}

async function ensureAdmin({ users, hasher, logger }: BootstrapDeps, password: string): Promise<number> {
  const existing = await users.findByUsername('admin');
  if (existing) return existing.userId;
  const passwordHash = await hasher.hash(password);
  const admin = { username: 'admin', email: null, realname: 'system admin', comment: 'admin user', passwordHash, sysadmin: true };
  try {
    // Harbor's admin is user 1; the API and tools assume it.
    await users.insert({ ...admin, userId: adminUserId });
    logger.info('created the admin user');
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Either another replica just created admin, or id 1 belongs to someone else.
    if (!(await users.findByUsername('admin'))) {
      try {
        await users.insert(admin);
        logger.info('created the admin user (user id 1 was taken)');
      } catch (again) {
        if (!isDuplicateKey(again)) throw again;
      }
    }
  }
  const created = await users.findByUsername('admin');
  if (!created) throw new Error('the admin user could not be created');
  return created.userId;
}

async function ensureLibrary({ projects, logger }: BootstrapDeps, adminId: number): Promise<void> {
  if (await projects.exists('library')) return;
  try {
    await projects.create({ name: 'library', ownerId: adminId, metadata: { public: 'true' } });
    logger.info('created the public project library');
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
