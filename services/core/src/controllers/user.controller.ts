import { AppError } from '@harbor/errors';
import { isDuplicateKey } from '@harbor/db';
import type { PasswordHasher } from '../auth/password-hasher';
import { Caller } from '../domain/caller';
import { emailProblem, realnameProblem, usernameProblem } from '../domain/names';
import { passwordProblem } from '../domain/password-policy';
import type { SettingsReader } from '../domain/system-settings';
import type { Page, UserDao, UserFilter, UserRecord, UserSortKey } from '../dao/user.dao';
import { forbidden, requireSysadmin, requireUser } from './guards';

export interface UserCreation {
  username: string;
  email?: string;
  realname?: string;
  password: string;
  comment?: string;
}

export interface PasswordChange {
  oldPassword?: string;
  newPassword: string;
}

/** The id Harbor gives the built-in admin; it can be neither deleted nor demoted. */
export const adminUserId = 1;

/** Users: creation (by admins or self-registration), listing, passwords and the sysadmin flag. */
export class UserController {
  constructor(
    private readonly users: UserDao,
    private readonly hasher: PasswordHasher,
    /** auth_mode and self_registration, which a system admin may change at run time. */
    private readonly settings: SettingsReader,
  ) {}

  async create(caller: Caller, input: UserCreation): Promise<number> {
    const settings = await this.settings.current();
    if (settings.authMode !== 'db_auth') throw forbidden('users can only be created when the authentication mode is db_auth');
    if (caller.kind === 'anonymous') {
      if (!settings.selfRegistration) throw new AppError('UNAUTHORIZED', 'unauthorized: self-registration is disabled');
    } else if (caller.kind !== 'user' || !caller.user.sysadmin) {
      throw forbidden('only system administrators can create users');
    }
    const realname = input.realname ?? '';
    const email = input.email ?? '';
    const problem =
      usernameProblem(input.username) ??
      (email !== '' ? emailProblem(email) : null) ??
      realnameProblem(realname) ??
      (input.comment !== undefined && input.comment.length > 30 ? 'the comment must be at most 30 characters long' : null) ??
      passwordProblem(input.password);
    if (problem) throw new AppError('BAD_REQUEST', problem);

    if (await this.users.findByUsername(input.username)) throw new AppError('CONFLICT', `username ${input.username} is already used`);
    if (email !== '' && (await this.users.findByEmail(email))) throw new AppError('CONFLICT', `email ${email} is already used`);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.users.insert({
        username: input.username,
        email: email === '' ? null : email,
        realname,
        comment: input.comment ?? '',
        passwordHash,
        sysadmin: false,
      });
    } catch (err) {
      // Two requests racing for the same name: the unique key decides.
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'username or email is already used');
      throw err;
    }
  }

  async list(
    caller: Caller,
    filter: UserFilter,
    sort: Array<{ key: UserSortKey; descending: boolean }>,
    page: Page,
  ): Promise<{ total: number; users: UserRecord[] }> {
    requireSysadmin(caller);
    return this.users.list(filter, sort, page);
  }

  /**
   * Any signed-in user may look people up by part of their name (the portal
   * does it to add members); only ids and names come back, never emails.
   */
  async search(caller: Caller, username: string, page: Page): Promise<{ total: number; users: UserRecord[] }> {
    requireUser(caller);
    return this.users.list({ username: { value: username, fuzzy: true } }, [{ key: 'username', descending: false }], page);
  }

  /** Admins see anyone; others only themselves (403, so ids of others are not probed). */
  async get(caller: Caller, userId: number): Promise<UserRecord> {
    const me = requireUser(caller);
    if (!me.sysadmin && me.userId !== userId) throw forbidden();
    return this.mustExist(userId);
  }

  current(caller: Caller): UserRecord {
    return requireUser(caller);
  }

  /** Email, real name and comment: the user themselves or a system admin; the same rules as at creation. */
  async updateProfile(caller: Caller, userId: number, profile: { email?: string; realname?: string; comment?: string }): Promise<void> {
    const me = requireUser(caller);
    if (!me.sysadmin && me.userId !== userId) throw forbidden();
    const target = await this.mustExist(userId);
    const email = profile.email ?? target.email ?? '';
    const realname = profile.realname ?? target.realname;
    const comment = profile.comment ?? target.comment;
    const problem =
      (email !== '' ? emailProblem(email) : null) ??
      realnameProblem(realname) ??
      (comment.length > 30 ? 'the comment must be at most 30 characters long' : null);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    const owner = email === '' ? undefined : await this.users.findByEmail(email);
    if (owner && owner.userId !== userId) throw new AppError('CONFLICT', `email ${email} is already used`);
    try {
      await this.users.updateProfile(userId, { email: email === '' ? null : email, realname, comment });
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `email ${email} is already used`);
      throw err;
    }
  }

  async changePassword(caller: Caller, userId: number, change: PasswordChange): Promise<void> {
    const me = requireUser(caller);
    const self = me.userId === userId;
    if (!self && !me.sysadmin) throw forbidden();
    if ((await this.settings.current()).authMode !== 'db_auth' && userId !== adminUserId) {
      throw forbidden('passwords are managed by the directory in this authentication mode');
    }
    const target = await this.mustExist(userId);
    // An admin resetting someone else's password does not know the old one; anyone changing their own must give it.
    if (self) {
      if (!change.oldPassword || !(await this.hasher.verify(change.oldPassword, target.passwordHash))) {
        throw forbidden('the old password is incorrect');
      }
    }
    const problem = passwordProblem(change.newPassword);
    if (problem) throw new AppError('BAD_REQUEST', problem);
    if (await this.hasher.verify(change.newPassword, target.passwordHash)) {
      throw new AppError('BAD_REQUEST', 'the new password must differ from the old one');
    }
    await this.users.updatePassword(userId, await this.hasher.hash(change.newPassword));
  }

  async setSysadmin(caller: Caller, userId: number, sysadmin: boolean): Promise<void> {
    const me = requireSysadmin(caller);
    // Demoting yourself or the built-in admin could leave nobody able to administer the system.
    if (userId === me.userId || userId === adminUserId) throw forbidden('the sysadmin flag of this user cannot be changed');
    await this.mustExist(userId);
    await this.users.updateSysadmin(userId, sysadmin);
  }

  async delete(caller: Caller, userId: number): Promise<void> {
    const me = requireSysadmin(caller);
    if (userId === me.userId) throw forbidden('a user cannot delete themselves');
    if (userId === adminUserId) throw forbidden('the admin user cannot be deleted');
    if (!(await this.users.delete(userId))) throw new AppError('NOT_FOUND', `user ${userId} not found`);
  }

  private async mustExist(userId: number): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppError('NOT_FOUND', `user ${userId} not found`);
    return user;
  }
}
