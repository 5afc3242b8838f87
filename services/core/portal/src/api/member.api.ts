import { request } from './http';
import { listParams, Page, pageOf, PageQuery } from './page';

/** Harbor's project role ids (`role_id`), part of the REST contract. */
export const roleIds = { projectAdmin: 1, developer: 2, guest: 3, maintainer: 4, limitedGuest: 5 } as const;
export type RoleName = keyof typeof roleIds;

/** The roles in the order Harbor's portal offers them, most rights first. */
export const roleOrder: RoleName[] = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'];

export function roleNameOf(roleId: number): RoleName | undefined {
  return roleOrder.find((name) => roleIds[name] === roleId);
}

/** Harbor's `ProjectMemberEntity` (the fields the portal reads). */
export interface Member {
  id: number;
  project_id: number;
  entity_name: string;
  role_name: string;
  role_id: number;
  entity_id: number;
  /** `u` for a user, `g` for a group. */
  entity_type: 'u' | 'g';
}

export interface MemberQuery extends PageQuery {
  /** Part of the member's name; empty lists everyone. */
  entityname?: string;
}

export async function listMembers(projectId: number, query: MemberQuery): Promise<Page<Member>> {
  const params = listParams(query, { entityname: query.entityname?.trim() });
  return pageOf<Member>(await request(`/api/v2.0/projects/${projectId}/members?${params}`));
}

/** Who to add: a user by name, or a group by id (as `/usergroups/search` lists it) or LDAP DN. */
export type NewMember =
  | { roleId: number; user: { username: string } }
  | { roleId: number; group: { id: number } | { ldapGroupDn: string } };

/** Harbor's `ProjectMember`. */
export async function addMember(projectId: number, member: NewMember): Promise<void> {
  const body =
    'user' in member
      ? { role_id: member.roleId, member_user: { username: member.user.username } }
      : {
          role_id: member.roleId,
          member_group: 'id' in member.group ? { id: member.group.id } : { ldap_group_dn: member.group.ldapGroupDn, group_type: 1 },
        };
  await request(`/api/v2.0/projects/${projectId}/members`, { method: 'POST', json: body });
}

export async function changeMemberRole(projectId: number, memberId: number, roleId: number): Promise<void> {
  await request(`/api/v2.0/projects/${projectId}/members/${memberId}`, { method: 'PUT', json: { role_id: roleId } });
}

export async function removeMember(projectId: number, memberId: number): Promise<void> {
  await request(`/api/v2.0/projects/${projectId}/members/${memberId}`, { method: 'DELETE' });
}
