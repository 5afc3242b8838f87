import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '@harbor/db';
import type { UserDao, UserRecord } from '../dao/user.dao';
import type { DirectoryPerson } from '../ldap/ldap-directory';

/**
 * The local user behind an LDAP person, created on first login (or import):
 * username from the uid attribute, email and real name from the entry, and
 * a password field no password can ever match, so such a user can only log
 * in through the directory.
 */
export class LdapUserProvisioner {
  constructor(private readonly users: UserDao) {}

  async ensure(person: DirectoryPerson): Promise<{ user: UserRecord; created: boolean }> {
    const existing = await this.users.findByUsername(person.username);
    if (existing) return { user: existing, created: false };
    const email = person.email !== '' && !(await this.users.findByEmail(person.email)) ? person.email : null;
    try {
      const userId = await this.users.insert({
        username: person.username,
        email,
        realname: person.realname.slice(0, 255),
        comment: 'from LDAP.',
        passwordHash: unusablePasswordHash(),
        sysadmin: false,
      });
      return { user: (await this.users.findById(userId))!, created: true };
    } catch (err) {
      // Two first logins at once: the other one created the user (or took the email).
      if (!isDuplicateKey(err)) throw err;
      const raced = await this.users.findByUsername(person.username);
      if (raced) return { user: raced, created: false };
      throw err;
    }
  }
}

/** Not in the hasher's `scrypt$…` format, so verification always fails. */
function unusablePasswordHash(): string {
  return `ldap$${randomBytes(24).toString('base64')}`;
}
