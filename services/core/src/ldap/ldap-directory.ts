import { Client, createClient, SearchEntry, SearchOptions } from 'ldapjs';
import { equalityFilter, normalizeDn, substringFilter, wrapFilter } from '../domain/ldap-filter';
import type { LdapSettings } from '../domain/system-settings';

export type { LdapSettings };

/** An entry as the rest of core sees it: its DN and its attributes, names lower-cased. */
export interface DirectoryEntry {
  dn: string;
  attributes: Map<string, string[]>;
}

export interface DirectoryGroup {
  dn: string;
  name: string;
}

export interface DirectoryPerson {
  dn: string;
  username: string;
  email: string;
  realname: string;
}

/**
 * The directory did not answer (refused, timed out, TLS failed) or refused
 * the search account: nothing the end user can fix. `reason` is for logs and
 * for the system admin's ping, not for anonymous callers.
 */
export class DirectoryUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`LDAP directory unavailable: ${reason}`);
    this.name = 'DirectoryUnavailable';
  }
}

/** Searches wider than this are cut short: the API lists, it does not export. */
const maxEntries = 500;

/**
 * Short-lived connections to the configured directory: each operation opens
 * one, binds as the search account, does its work and closes it, all within
 * the configured timeout (per LDAP operation, and three times that overall),
 * so a directory that hangs costs a bounded wait, never a stuck request.
 * Logins go through passport-ldapauth (see LdapAuthenticator); this serves
 * ping, searches and imports.
 */
export class LdapDirectory {
  constructor(readonly settings: LdapSettings) {}

  /** Connects and binds as the search account; throws DirectoryUnavailable with the reason. */
  async ping(): Promise<void> {
    await this.withConnection(async () => undefined);
  }

  /** People whose uid attribute contains `text` (everyone for empty text), within the configured filter. */
  async searchPeople(text: string): Promise<DirectoryPerson[]> {
    const s = this.settings;
    const entries = await this.withConnection((client) =>
      search(client, s.baseDn, { scope: s.scope, filter: substringFilter(s.filter, s.uid, text), sizeLimit: maxEntries }),
    );
    return entries.map((e) => this.personOf(e)).filter((p): p is DirectoryPerson => p !== null);
  }

  /** The one person whose uid attribute equals `username`; null when none or several match. */
  async findPerson(username: string): Promise<DirectoryPerson | null> {
    const s = this.settings;
    const entries = await this.withConnection((client) =>
      search(client, s.baseDn, { scope: s.scope, filter: equalityFilter(s.filter, s.uid, username), sizeLimit: 2 }),
    );
    return entries.length === 1 ? this.personOf(entries[0]!) : null;
  }

  /** Groups named `name` (exactly, as Harbor does) under the group base. */
  async findGroupsByName(name: string): Promise<DirectoryGroup[]> {
    const g = this.settings.group;
    const entries = await this.withConnection((client) =>
      search(client, this.groupBase(), { scope: g.scope, filter: equalityFilter(g.filter, g.nameAttribute, name), sizeLimit: maxEntries }),
    );
    return entries.map((e) => this.groupOf(e));
  }

  /** The group entry at `dn` when it matches the group filter; null when there is none. */
  async findGroupByDn(dn: string): Promise<DirectoryGroup | null> {
    const g = this.settings.group;
    const filter = wrapFilter(g.filter) || '(objectClass=*)';
    try {
      const entries = await this.withConnection((client) => search(client, dn, { scope: 'base', filter, sizeLimit: 1 }));
      return entries.length === 1 ? this.groupOf(entries[0]!) : null;
    } catch (err) {
      // Asking for an entry that does not exist is an answer, not an outage.
      if (err instanceof DirectoryAnswer && (err.ldapName === 'NoSuchObjectError' || err.ldapName === 'InvalidDnSyntaxError')) return null;
      throw err;
    }
  }

  groupBase(): string {
    return this.settings.group.baseDn || this.settings.baseDn;
  }

  personOf(entry: DirectoryEntry): DirectoryPerson | null {
    const username = first(entry, this.settings.uid);
    if (!username) return null;
    return { dn: entry.dn, username, email: first(entry, 'mail') ?? first(entry, 'email') ?? '', realname: first(entry, 'cn') ?? username };
  }

  groupOf(entry: DirectoryEntry): DirectoryGroup {
    return { dn: entry.dn, name: first(entry, this.settings.group.nameAttribute) ?? entry.dn };
  }

  private async withConnection<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const s = this.settings;
    const timeoutMs = s.timeoutSeconds * 1000;
    let client: Client;
    try {
      client = createClient({
        url: s.url,
        timeout: timeoutMs,
        connectTimeout: timeoutMs,
        reconnect: false,
        tlsOptions: { rejectUnauthorized: s.verifyCertificate },
      });
    } catch (err) {
      throw new DirectoryUnavailable(`bad LDAP URL ${JSON.stringify(s.url)}: ${messageOf(err)}`);
    }
    // An 'error' nobody listens to would crash the process.
    const failure = new Promise<never>((_, reject) => {
      client.on('error', (err: unknown) => reject(new DirectoryUnavailable(messageOf(err))));
      client.on('connectTimeout', () => reject(new DirectoryUnavailable(`no connection within ${s.timeoutSeconds}s`)));
      client.on('connectError', (err: unknown) => reject(new DirectoryUnavailable(messageOf(err))));
      client.on('timeout', () => reject(new DirectoryUnavailable(`no answer within ${s.timeoutSeconds}s`)));
    });
    failure.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DirectoryUnavailable(`no answer within ${s.timeoutSeconds}s`)), 3 * timeoutMs);
    });
    try {
      const connected = new Promise<void>((resolve) => client.once('connect', () => resolve()));
      return await Promise.race([
        (async () => {
          await connected;
          if (s.searchDn !== '') await bind(client, s.searchDn, s.searchPassword);
          return work(client);
        })(),
        failure,
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
      client.destroy();
    }
  }
}

/** An LDAP result code the server answered with (as opposed to no answer at all). */
export class DirectoryAnswer extends Error {
  constructor(
    readonly ldapName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryAnswer';
  }
}

function bind(client: Client, dn: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.bind(dn, password, (err) => {
      if (!err) return resolve();
      // A search account that cannot bind is a configuration problem: the directory is unusable as set up.
      reject(new DirectoryUnavailable(`search DN bind refused: ${messageOf(err)}`));
    });
  });
}

function search(client: Client, base: string, options: SearchOptions): Promise<DirectoryEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: DirectoryEntry[] = [];
    client.search(base, options, (err, res) => {
      if (err) return reject(answerOf(err));
      res.on('searchEntry', (entry: SearchEntry) => {
        if (entries.length < maxEntries) entries.push(entryOf(entry));
      });
      res.on('error', (searchErr: Error) => {
        // The server stops at the size limit and says so: what arrived is the answer.
        if (searchErr.name === 'SizeLimitExceededError') resolve(entries);
        else reject(answerOf(searchErr));
      });
      res.on('end', () => resolve(entries));
    });
  });
}

function entryOf(entry: SearchEntry): DirectoryEntry {
  const attributes = new Map<string, string[]>();
  for (const attribute of entry.attributes) {
    const values = (attribute as unknown as { vals: unknown }).vals;
    attributes.set(attribute.type.toLowerCase(), Array.isArray(values) ? values.map(String) : [String(values)]);
  }
  return { dn: String(entry.objectName ?? ''), attributes };
}

function answerOf(err: unknown): Error {
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'number') return new DirectoryAnswer(err.name, err.message);
  return new DirectoryUnavailable(messageOf(err));
}

function first(entry: DirectoryEntry, attribute: string): string | undefined {
  const value = entry.attributes.get(attribute.toLowerCase())?.[0];
  return value === undefined || value === '' ? undefined : value;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** DNs of the entries, normalised (see normalizeDn); entries without a parseable DN are left out. */
export function normalizedDns(dns: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const dn of dns) {
    const normal = normalizeDn(dn);
    if (normal) out.add(normal);
  }
  return [...out];
}
