import type { UserRecord } from '../dao/user.dao';

/**
 * Checks a username and password; null when they do not match. One
 * implementation per `auth_mode` (DB now, LDAP next), all behind this noun.
 */
export interface Authenticator {
  authenticate(username: string, password: string): Promise<UserRecord | null>;
}
