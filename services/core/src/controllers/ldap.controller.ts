import { AppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';
import type { Caller } from '../domain/caller';
import { normalizeDn } from '../domain/ldap-filter';
import type { LdapUserProvisioner } from '../auth/ldap-user-provisioner';
import { DirectoryGroup, DirectoryPerson, DirectoryUnavailable, LdapDirectory, LdapSettings } from '../ldap/ldap-directory';
import type { SettingsReader } from '../domain/system-settings';
import { requireSysadmin } from './guards';
import { directoryFailure } from './ldap-errors';

/** The fields of Harbor's `LdapConf`, already typed; absent ones keep the configured value. */
export type LdapSettingsOverride = Partial<Omit<LdapSettings, 'group'>>;

export interface ImportFailure {
  uid: string;
  error: string;
}

/** `/ldap/*`: test the settings, look people and groups up, import people. System admins only. */
export class LdapController {
  constructor(
    /** The LDAP settings in force (a system admin may change them at run time). */
    private readonly settings: SettingsReader,
    private readonly provisioner: LdapUserProvisioner,
    private readonly logger: Logger,
  ) {}

  /** Harbor answers a failed ping with 200 and `success: false`: the check ran, the directory said no. */
  async ping(caller: Caller, override: LdapSettingsOverride | null): Promise<{ success: boolean; message: string }> {
    requireSysadmin(caller);
    const settings: LdapSettings = { ...(await this.settings.current()).ldap, ...(override ?? {}) };
    if (settings.url === '') throw new AppError('BAD_REQUEST', 'ldap_url is required');
    try {
      await new LdapDirectory(settings).ping();
      return { success: true, message: 'success' };
    } catch (err) {
      if (err instanceof DirectoryUnavailable) return { success: false, message: err.reason };
      throw err;
    }
  }

  async searchPeople(caller: Caller, username: string): Promise<DirectoryPerson[]> {
    requireSysadmin(caller);
    return (await this.directory())
      .searchPeople(username)
      .catch((err: unknown) => {
        throw directoryFailure(err);
      });
  }

  async searchGroups(caller: Caller, query: { groupName?: string; groupDn?: string }): Promise<DirectoryGroup[]> {
    requireSysadmin(caller);
    const directory = await this.directory();
    try {
      if (query.groupDn !== undefined && query.groupDn !== '') {
        if (normalizeDn(query.groupDn) === null) throw new AppError('BAD_REQUEST', 'groupdn is not a valid DN');
        const group = await directory.findGroupByDn(query.groupDn);
        return group ? [group] : [];
      }
      if (query.groupName !== undefined && query.groupName !== '') return await directory.findGroupsByName(query.groupName);
    } catch (err) {
      throw directoryFailure(err);
    }
    throw new AppError('BAD_REQUEST', 'groupname or groupdn is required');
  }

  /** Creates local users for the given uids; returns the ones that could not be imported, and why. */
  async importPeople(caller: Caller, uids: string[]): Promise<ImportFailure[]> {
    requireSysadmin(caller);
    const directory = await this.directory();
    const failures: ImportFailure[] = [];
    for (const uid of uids) {
      try {
        const person = await directory.findPerson(uid);
        if (!person) {
          failures.push({ uid, error: 'not found in the LDAP directory' });
          continue;
        }
        const { user, created } = await this.provisioner.ensure(person);
        if (!created) failures.push({ uid, error: 'the user already exists' });
        else this.logger.info(`ldap: imported user ${user.username} (user id ${user.userId}) from ${person.dn}`);
      } catch (err) {
        throw directoryFailure(err);
      }
    }
    return failures;
  }

  private async directory(): Promise<LdapDirectory> {
    const { ldap } = await this.settings.current();
    if (ldap.url === '') throw new AppError('BAD_REQUEST', 'no LDAP directory is configured (ldap_url is empty)');
    return new LdapDirectory(ldap);
  }
}
