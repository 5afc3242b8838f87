import LdapStrategy from 'passport-ldapauth';
import { AppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';
import type { UserGroupDao } from '../dao/user-group.dao';
import type { UserDao, UserRecord } from '../dao/user.dao';
import { equalityFilter, escapeFilterValue, normalizeDn, wrapFilter } from '../domain/ldap-filter';
import { DirectoryEntry, DirectoryUnavailable, LdapDirectory, messageOf, normalizedDns } from '../ldap/ldap-directory';
import type { SettingsReader } from '../domain/system-settings';
import type { Authenticator } from './authenticator';
import type { LdapUserProvisioner } from './ldap-user-provisioner';
import type { VerificationCache } from './verification-cache';

export interface LdapAuthenticatorDeps {
  /** The LDAP settings in force (a system admin may change them at run time). */
  settings: SettingsReader;
  /** The admin (user id 1) always logs in against the database, as in Harbor. */
  database: Authenticator;
  users: UserDao;
  groups: UserGroupDao;
  provisioner: LdapUserProvisioner;
  cache: VerificationCache;
  logger: Logger;
}

/** What passport-ldapauth hands back: the user's entry, and the groups its group search found. */
interface LdapUserObject {
  dn: string;
  _groups?: Array<{ dn: string }>;
  [attribute: string]: unknown;
}

type Verdict = { kind: 'user'; entry: LdapUserObject } | { kind: 'refused'; reason: string } | { kind: 'unavailable'; reason: string };

/**
 * `auth_mode = ldap_auth`: search bind with the configured account, find
 * the one entry matching `(&<filter>(<uid>=<username>))` (the name escaped
 * per RFC 4515), bind as that entry with the given password, and read the
 * user's groups. passport-ldapauth does the LDAP part; it is driven here
 * without express (a strategy's success/fail/error are set per attempt), so
 * the API's Basic auth, the token service and the portal login all share
 * this one Authenticator. On success the local user is created if needed and
 * their group DNs are recorded for project roles. A directory that cannot be
 * reached is a 503 with a log line, bounded by the configured timeout.
 */
export class LdapAuthenticator implements Authenticator {
  constructor(private readonly deps: LdapAuthenticatorDeps) {}

  async authenticate(username: string, password: string): Promise<UserRecord | null> {
    if (username === '' || password === '') return null;
    const local = await this.deps.users.findByUsername(username);
    if (local?.userId === 1) return this.deps.database.authenticate(username, password);
    if (local) {
      for (const admin of [false, true]) {
        if (this.deps.cache.recalls(username, password, cacheTag(local, admin))) return admin ? { ...local, sysadmin: true } : local;
      }
    }

    const { ldap } = await this.deps.settings.current();
    if (ldap.url === '') {
      this.deps.logger.warning(`ldap: cannot check the login of ${JSON.stringify(username)}: ldap_url is empty`);
      throw new AppError('SERVICE_UNAVAILABLE', 'the LDAP directory is unavailable, try again later');
    }
    const directory = new LdapDirectory(ldap);
    let verdict = await this.verify(directory, username, password);
    // ldapauth-fork reports a refused search account exactly like a wrong user password: tell them apart.
    if (verdict.kind === 'refused' && directory.settings.searchDn !== '') {
      const problem = await directory.ping().then(
        () => null,
        (err: unknown) => (err instanceof DirectoryUnavailable ? err.reason : null),
      );
      if (problem !== null) verdict = { kind: 'unavailable', reason: problem };
    }
    if (verdict.kind === 'unavailable') {
      this.deps.logger.warning(`ldap: cannot check the login of ${JSON.stringify(username)}: ${verdict.reason}`);
      throw new AppError('SERVICE_UNAVAILABLE', 'the LDAP directory is unavailable, try again later');
    }
    if (verdict.kind === 'refused') {
      this.deps.logger.info(`ldap: login of ${JSON.stringify(username)} refused: ${verdict.reason}`);
      return null;
    }

    const entry = entryOf(verdict.entry);
    const person = directory.personOf(entry);
    if (!person) {
      this.deps.logger.warning(`ldap: ${entry.dn} has no ${directory.settings.uid} attribute; login refused`);
      return null;
    }
    const { user, created } = await this.deps.provisioner.ensure(person);
    if (created) this.deps.logger.info(`ldap: created user ${user.username} (user id ${user.userId}) for ${entry.dn}`);
    if (user.userId === 1) return null;

    const memberOf = entry.attributes.get(directory.settings.group.membershipAttribute.toLowerCase()) ?? [];
    const groupDns = normalizedDns([...memberOf, ...(verdict.entry._groups ?? []).map((g) => g.dn)]);
    await this.deps.groups.recordMemberships(user.userId, groupDns);
    const adminDn = normalizeDn(directory.settings.group.adminDn);
    const admin = adminDn !== null && groupDns.includes(adminDn);
    this.deps.cache.remember(username, password, cacheTag(user, admin));
    return admin ? { ...user, sysadmin: true } : user;
  }

  private verify(directory: LdapDirectory, username: string, password: string): Promise<Verdict> {
    const s = directory.settings;
    const timeoutMs = s.timeoutSeconds * 1000;
    const groupFilter = wrapFilter(s.group.filter);
    const strategy = new LdapStrategy({
      server: {
        url: s.url,
        ...(s.searchDn !== '' ? { bindDN: s.searchDn, bindCredentials: s.searchPassword } : {}),
        searchBase: s.baseDn,
        searchFilter: equalityFilter(s.filter, s.uid, username),
        searchScope: s.scope,
        searchAttributes: ['*', s.group.membershipAttribute],
        groupSearchBase: directory.groupBase(),
        groupSearchFilter: (user: { dn: string }) => `(&${groupFilter}(member=${escapeFilterValue(user.dn)}))`,
        groupSearchScope: s.group.scope,
        groupSearchAttributes: [s.group.nameAttribute],
        timeout: timeoutMs,
        connectTimeout: timeoutMs,
        reconnect: false,
        tlsOptions: { rejectUnauthorized: s.verifyCertificate },
      },
      credentialsLookup: () => ({ username, password }),
    });

    return new Promise<Verdict>((resolve) => {
      let settled = false;
      const settle = (verdict: Verdict) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(verdict);
      };
      // Each LDAP operation has its own timeout; this bounds the whole exchange (connect, two binds, two searches).
      const timer = setTimeout(() => settle({ kind: 'unavailable', reason: `no answer within ${3 * s.timeoutSeconds}s` }), 3 * timeoutMs);
      const attempt = Object.create(strategy) as LdapStrategy & {
        success(user: LdapUserObject): void;
        fail(info: unknown, status?: number): void;
        error(err: unknown): void;
      };
      attempt.success = (user) => settle({ kind: 'user', entry: user });
      attempt.fail = (info, status) => {
        const reason = messageOf((info as { message?: unknown } | undefined)?.message ?? info);
        // 401: wrong password, unknown user or bad search base; anything else is the strategy's own trouble.
        settle(status === 401 || status === 400 || status === undefined ? { kind: 'refused', reason } : { kind: 'unavailable', reason });
      };
      attempt.error = (err) => {
        // ldapauth-fork reports "several entries matched" as a plain string: a refusal, not an outage.
        if (typeof err === 'string') settle({ kind: 'refused', reason: err });
        else settle({ kind: 'unavailable', reason: messageOf(err) });
      };
      try {
        attempt.authenticate({} as never);
      } catch (err) {
        settle({ kind: 'unavailable', reason: messageOf(err) });
      }
    });
  }
}

function cacheTag(user: UserRecord, admin: boolean): string {
  return `ldap:${user.userId}:${admin ? 'admin' : 'user'}:${user.passwordHash}`;
}

function entryOf(object: LdapUserObject): DirectoryEntry {
  const attributes = new Map<string, string[]>();
  for (const [name, value] of Object.entries(object)) {
    if (name === 'dn' || name === 'controls' || name === '_groups') continue;
    const values = Array.isArray(value) ? value : [value];
    attributes.set(name.toLowerCase(), values.filter((v) => v !== undefined && v !== null).map(String));
  }
  return { dn: object.dn, attributes };
}
