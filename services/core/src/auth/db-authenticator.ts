import type { UserDao, UserRecord } from '../dao/user.dao';
import type { Authenticator } from './authenticator';
import type { PasswordHasher } from './password-hasher';
import type { VerificationCache } from './verification-cache';

/**
 * Users and password hashes from the database. An unknown user still costs
 * one KDF run against a dummy hash, so response time does not tell which
 * usernames exist.
 */
export class DbAuthenticator implements Authenticator {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserDao,
    private readonly hasher: PasswordHasher,
    private readonly cache: VerificationCache,
  ) {}

  async authenticate(username: string, password: string): Promise<UserRecord | null> {
    if (username === '' || password === '') return null;
    const user = await this.users.findByUsername(username);
    if (!user) {
      await this.hasher.verify(password, await this.dummy());
      return null;
    }
    if (this.cache.recalls(username, password, user.passwordHash)) return user;
    if (!(await this.hasher.verify(password, user.passwordHash))) return null;
    this.cache.remember(username, password, user.passwordHash);
    return user;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash('not a password anyone has');
    return this.dummyHash;
  }
}
