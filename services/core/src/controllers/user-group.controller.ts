import { AppError } from '@harbor/errors';
import { isDuplicateKey } from '@harbor/db';
import type { Caller } from '../domain/caller';
import { normalizeDn } from '../domain/ldap-filter';
import { ldapGroupType, UserGroupDao, UserGroupFilter, UserGroupRecord } from '../dao/user-group.dao';
import type { Page } from '../dao/user.dao';
import type { SettingsReader } from '../domain/system-settings';
import { LdapDirectory } from '../ldap/ldap-directory';
import { requireSysadmin, requireUser } from './guards';
import { directoryFailure } from './ldap-errors';

export interface UserGroupInput {
  id?: number;
  groupName?: string;
  groupType?: number;
  ldapGroupDn?: string;
}

/**
 * `/usergroups`: LDAP groups known to Harbor, so they can be given project
 * roles. System admins manage them; a group is registered by its DN, which
 * must name a group in the directory.
 */
export class UserGroupController {
  constructor(
    private readonly groups: UserGroupDao,
    /** The LDAP settings in force (a system admin may change them at run time); an empty URL means no directory. */
    private readonly settings: SettingsReader,
  ) {}

  async list(caller: Caller, filter: { groupName?: string; ldapGroupDn?: string }, page: Page): Promise<{ total: number; groups: UserGroupRecord[] }> {
    requireSysadmin(caller);
    const wanted: UserGroupFilter = { groupName: filter.groupName };
    if (filter.ldapGroupDn !== undefined && filter.ldapGroupDn !== '') {
      const dn = normalizeDn(filter.ldapGroupDn);
      if (dn === null) return { total: 0, groups: [] };
      wanted.ldapGroupDn = dn;
    }
    return this.groups.list(wanted, page);
  }

  /** `/usergroups/search`: any signed-in user may look groups up by name to add them as members. */
  async search(caller: Caller, groupName: string, page: Page): Promise<{ total: number; groups: UserGroupRecord[] }> {
    requireUser(caller);
    return this.groups.list({ groupName }, page);
  }

  async get(caller: Caller, id: number): Promise<UserGroupRecord> {
    requireSysadmin(caller);
    return this.mustExist(id);
  }

  async create(caller: Caller, input: UserGroupInput): Promise<number> {
    requireSysadmin(caller);
    if (input.groupType !== undefined && input.groupType !== ldapGroupType) {
      throw new AppError('BAD_REQUEST', `group_type ${input.groupType} is not supported: only LDAP groups (1)`);
    }
    const group = await this.fromDirectory(input.ldapGroupDn, input.groupName);
    try {
      return await this.groups.insert(group);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', `the LDAP group ${group.ldapGroupDn} is already registered`);
      throw err;
    }
  }

  /** Only the name changes; the DN is what the group is. */
  async update(caller: Caller, id: number, groupName: string | undefined): Promise<void> {
    requireSysadmin(caller);
    await this.mustExist(id);
    if (groupName === undefined || groupName.trim() === '') throw new AppError('BAD_REQUEST', 'group_name is required');
    await this.groups.rename(id, groupName.trim());
  }

  async delete(caller: Caller, id: number): Promise<void> {
    requireSysadmin(caller);
    if (!(await this.groups.delete(id))) throw new AppError('NOT_FOUND', `user group ${id} not found`);
  }

  /**
   * The group a `member_group` names: by id, by DN (registered on the fly
   * when the directory has it, as Harbor does) or by name (which must be
   * unambiguous).
   */
  async resolveForMembership(input: UserGroupInput): Promise<UserGroupRecord> {
    if (input.groupType !== undefined && input.groupType !== 0 && input.groupType !== ldapGroupType) {
      throw new AppError('BAD_REQUEST', `group_type ${input.groupType} is not supported: only LDAP groups (1)`);
    }
    if (input.id !== undefined && input.id > 0) {
      const group = await this.groups.findById(input.id);
      if (!group) throw new AppError('BAD_REQUEST', `user group ${input.id} not found`);
      return group;
    }
    if (input.ldapGroupDn !== undefined && input.ldapGroupDn !== '') {
      const dn = normalizeDn(input.ldapGroupDn);
      if (dn === null) throw new AppError('BAD_REQUEST', 'ldap_group_dn is not a valid DN');
      const known = await this.groups.findByDn(dn);
      if (known) return known;
      const group = await this.fromDirectory(input.ldapGroupDn, input.groupName);
      try {
        await this.groups.insert(group);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return (await this.groups.findByDn(group.ldapGroupDn))!;
    }
    if (input.groupName !== undefined && input.groupName !== '') {
      const named = await this.groups.findByName(input.groupName);
      if (named.length === 1) return named[0]!;
      throw new AppError('BAD_REQUEST', named.length === 0 ? `user group ${input.groupName} not found` : `several user groups are named ${input.groupName}: give id or ldap_group_dn`);
    }
    throw new AppError('BAD_REQUEST', 'member_group needs id, ldap_group_dn or group_name');
  }

  private async fromDirectory(ldapGroupDn: string | undefined, groupName: string | undefined): Promise<{ groupName: string; groupType: number; ldapGroupDn: string }> {
    if (ldapGroupDn === undefined || ldapGroupDn.trim() === '') throw new AppError('BAD_REQUEST', 'ldap_group_dn is required');
    const dn = normalizeDn(ldapGroupDn);
    if (dn === null) throw new AppError('BAD_REQUEST', 'ldap_group_dn is not a valid DN');
    if (dn.length > 512) throw new AppError('BAD_REQUEST', 'ldap_group_dn is longer than 512 characters');
    const { ldap } = await this.settings.current();
    if (ldap.url === '') throw new AppError('BAD_REQUEST', 'LDAP groups need an LDAP directory (ldap_url)');
    const found = await new LdapDirectory(ldap).findGroupByDn(ldapGroupDn.trim()).catch((err: unknown) => {
      throw directoryFailure(err);
    });
    if (!found) throw new AppError('BAD_REQUEST', `the LDAP group ${ldapGroupDn.trim()} was not found in the directory`);
    const name = groupName?.trim() || found.name;
    return { groupName: name.slice(0, 255), groupType: ldapGroupType, ldapGroupDn: dn };
  }

  private async mustExist(id: number): Promise<UserGroupRecord> {
    const group = await this.groups.findById(id);
    if (!group) throw new AppError('NOT_FOUND', `user group ${id} not found`);
    return group;
  }
}
