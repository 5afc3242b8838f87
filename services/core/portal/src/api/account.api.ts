import { passwordMisses } from './user.api';
import { ApiError, request } from './http';

/** Harbor's `UserCreationReq` as a visitor fills it in on the sign-up page. */
export interface NewAccount {
  username: string;
  email: string;
  realname: string;
  password: string;
}

/** `POST /users` without a session: core accepts it only while self-registration is on. */
export async function signUp(account: NewAccount): Promise<void> {
  await request('/api/v2.0/users', {
    method: 'POST',
    json: { username: account.username, email: account.email, realname: account.realname, password: account.password },
  });
}

/** Harbor's `PasswordReq`: the signed-in user's own password, so the old one is required. */
export async function changePassword(userId: number, oldPassword: string, newPassword: string): Promise<void> {
  await request(`/api/v2.0/users/${userId}/password`, {
    method: 'PUT',
    json: { old_password: oldPassword, new_password: newPassword },
  });
}

/** Why a password breaks Harbor's rule, as a catalogue-friendly word; null when it is fine. */
export type PasswordProblem = 'length' | 'mix';

/** Harbor's rule for new passwords (core checks it again): 8–128 characters, an upper-case letter, a lower-case one and a digit. */
export function passwordProblem(password: string): PasswordProblem | null {
  const misses = passwordMisses(password);
  if (misses.includes('length')) return 'length';
  return misses.length > 0 ? 'mix' : null;
}

/** Characters core refuses in a username (Harbor's list, plus `:` and spaces that Basic credentials cannot carry). */
const illegalInUsername = /[,"~#$%:\s]/;

export function validUsername(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && !illegalInUsername.test(name);
}

/** Characters core refuses in a real name. */
const illegalInRealname = /[,"~#$%]/;

export function validRealname(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && !illegalInRealname.test(name);
}

/**
 * Refusals the account pages know how to say in the reader's language; any
 * other failure keeps the server's own words (errorText).
 */
export type AccountRefusal = 'usernameTaken' | 'emailTaken' | 'wrongOldPassword' | 'sameAsOld' | 'registrationOff';

export function accountRefusal(err: unknown): AccountRefusal | null {
  if (!(err instanceof ApiError)) return null;
  const text = err.message.toLowerCase();
  if (err.status === 409 && text.startsWith('username')) return 'usernameTaken';
  if (err.status === 409 && text.startsWith('email')) return 'emailTaken';
  if (err.status === 403 && text.includes('old password')) return 'wrongOldPassword';
  if (err.status === 400 && text.includes('differ from the old')) return 'sameAsOld';
  if (err.status === 401 && text.includes('self-registration')) return 'registrationOff';
  return null;
}
