import { request } from './http';
import { listParams, Page, pageOf } from './page';

/** Harbor's `UserSearchRespItem`. */
export interface UserHit {
  user_id: number;
  username: string;
}

/** Harbor's `UserGroupSearchItem`; `group_type` 1 is an LDAP group. */
export interface GroupHit {
  id: number;
  group_name: string;
  group_type: number;
}

/** Users whose name holds `username`, for search-as-you-type; any signed-in user may ask. */
export async function searchUsers(username: string, pageSize = 10): Promise<Page<UserHit>> {
  const params = listParams({ page: 1, pageSize }, { username: username.trim() });
  return pageOf<UserHit>(await request(`/api/v2.0/users/search?${params}`));
}

/** Registered user groups whose name holds `groupname`. */
export async function searchGroups(groupname: string, pageSize = 10): Promise<Page<GroupHit>> {
  const params = listParams({ page: 1, pageSize }, { groupname: groupname.trim() });
  return pageOf<GroupHit>(await request(`/api/v2.0/usergroups/search?${params}`));
}
