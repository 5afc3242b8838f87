import { request, requestJson } from './http';

/** Harbor's `UserResp` (the fields the portal reads). */
export interface CurrentUser {
  user_id: number;
  username: string;
  email: string;
  realname: string;
  sysadmin_flag: boolean;
}

export async function signIn(principal: string, password: string): Promise<void> {
  await request('/c/login', { method: 'POST', form: { principal, password } });
}

export async function signOut(): Promise<void> {
  await request('/c/log_out');
}

export function currentUser(): Promise<CurrentUser> {
  return requestJson<CurrentUser>('/api/v2.0/users/current');
}
