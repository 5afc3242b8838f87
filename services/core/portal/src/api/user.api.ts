import { request } from './http';
import { fuzzyQ, listParams, Page, pageOf, PageQuery } from './page';

/** Harbor's `UserResp` (the fields the portal reads). */
export interface User {
  user_id: number;
  username: string;
  email: string;
  realname: string;
  comment: string;
  sysadmin_flag: boolean;
  creation_time: string;
}

/** One page of users; `search` matches part of the username (`q=username=~…`). */
export async function listUsers(query: PageQuery & { search?: string }): Promise<Page<User>> {
  const q = fuzzyQ('username', query.search);
  return pageOf<User>(await request(`/api/v2.0/users?${listParams(query, { q, sort: 'username' })}`));
}

/** Harbor's `UserCreationReq`; empty optional fields are left out. */
export interface NewUser {
  username: string;
  email?: string;
  realname?: string;
  password: string;
  comment?: string;
}

export async function createUser(user: NewUser): Promise<void> {
  const json: Record<string, string> = { username: user.username, password: user.password };
  for (const key of ['email', 'realname', 'comment'] as const) {
    const value = user[key]?.trim();
    if (value) json[key] = value;
  }
  await request('/api/v2.0/users', { method: 'POST', json });
}

export async function deleteUser(userId: number): Promise<void> {
  await request(`/api/v2.0/users/${userId}`, { method: 'DELETE' });
}

/** Grants (true) or revokes (false) system administration. */
export async function setSysadmin(userId: number, sysadmin: boolean): Promise<void> {
  await request(`/api/v2.0/users/${userId}/sysadmin`, { method: 'PUT', json: { sysadmin_flag: sysadmin } });
}

/** An administrator sets someone else's password; no old password is needed for that. */
export async function resetPassword(userId: number, newPassword: string): Promise<void> {
  await request(`/api/v2.0/users/${userId}/password`, { method: 'PUT', json: { new_password: newPassword } });
}

/** The built-in `admin` (id 1): Harbor refuses to delete it or change its admin flag. */
export const builtInAdminId = 1;

export type PasswordRule = 'length' | 'upper' | 'lower' | 'digit';

/**
 * Harbor's rule for new passwords, as a list of what a candidate still
 * misses (empty when it is acceptable): 8 to 128 characters, at least one
 * upper-case letter, one lower-case letter and one digit. The server checks
 * it again.
 */
export function passwordMisses(password: string): PasswordRule[] {
  const misses: PasswordRule[] = [];
  if (password.length < 8 || password.length > 128) misses.push('length');
  if (!/[A-Z]/.test(password)) misses.push('upper');
  if (!/[a-z]/.test(password)) misses.push('lower');
  if (!/[0-9]/.test(password)) misses.push('digit');
  return misses;
}
