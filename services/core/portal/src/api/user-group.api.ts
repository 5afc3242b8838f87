import { request } from './http';
import { listParams, Page, pageOf, PageQuery } from './page';

/** Harbor's `group_type`: 1 LDAP, 2 HTTP, 3 OIDC. */
export type GroupType = 1 | 2 | 3;
export const groupTypes: GroupType[] = [1, 2, 3];

/** Harbor's `UserGroup`. */
export interface UserGroup {
  id: number;
  group_name: string;
  group_type: GroupType;
  ldap_group_dn?: string;
}

/** One page of groups; `search` matches part of the group name. */
export async function listUserGroups(query: PageQuery & { search?: string }): Promise<Page<UserGroup>> {
  return pageOf<UserGroup>(await request(`/api/v2.0/usergroups?${listParams(query, { group_name: query.search })}`));
}

export interface NewUserGroup {
  group_name: string;
  group_type: GroupType;
  /** Only for LDAP groups, where it is what the group is. */
  ldap_group_dn?: string;
}

export async function createUserGroup(group: NewUserGroup): Promise<void> {
  const json: Record<string, string | number> = { group_type: group.group_type };
  if (group.group_name.trim()) json.group_name = group.group_name.trim();
  if (group.group_type === 1 && group.ldap_group_dn?.trim()) json.ldap_group_dn = group.ldap_group_dn.trim();
  await request('/api/v2.0/usergroups', { method: 'POST', json });
}

/** Only the name changes; an LDAP group's DN is what the group is. */
export async function renameUserGroup(id: number, groupName: string): Promise<void> {
  await request(`/api/v2.0/usergroups/${id}`, { method: 'PUT', json: { group_name: groupName.trim() } });
}

export async function deleteUserGroup(id: number): Promise<void> {
  await request(`/api/v2.0/usergroups/${id}`, { method: 'DELETE' });
}
