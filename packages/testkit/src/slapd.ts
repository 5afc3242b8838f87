import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports';
import { tempDir, TempDir } from './temp-dir';
import { waitFor } from './wait-for';

/**
 * A real OpenLDAP server for tests: slapd (Debian's `slapd` package) as a
 * child process on a free port, with an mdb database in a temporary
 * directory, loaded with the given people and groups before it starts.
 */

export interface DirectoryUser {
  uid: string;
  password: string;
  cn?: string;
  mail?: string;
  /** Defaults to ou=people under the suffix. */
  ou?: string;
  /** More attributes of the entry (any inetOrgPerson allows, e.g. `seeAlso` naming a DN). */
  extra?: Record<string, string[]>;
}

export interface DirectoryGroup {
  cn: string;
  /** uids of members (entries under ou=people). */
  members: string[];
}

export interface SlapdOptions {
  users?: DirectoryUser[];
  groups?: DirectoryGroup[];
}

export interface Slapd {
  url: string;
  port: number;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  peopleDn: string;
  groupsDn: string;
  userDn(uid: string): string;
  groupDn(cn: string): string;
  /** Stops the server (SIGTERM, then SIGKILL); the data stays until `close`. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections are accepted by the kernel but never answered. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

const suffix = 'dc=example,dc=test';
const rootDn = `cn=admin,${suffix}`;
const rootPassword = 'slapd-root-secret';
const schemaDir = '/etc/ldap/schema';
const slapdBinary = ['/usr/sbin/slapd', '/usr/local/libexec/slapd'].find((p) => existsSync(p)) ?? 'slapd';
const slapaddBinary = ['/usr/sbin/slapadd', '/usr/local/sbin/slapadd'].find((p) => existsSync(p)) ?? 'slapadd';
const slappasswdBinary = ['/usr/sbin/slappasswd', '/usr/local/sbin/slappasswd'].find((p) => existsSync(p)) ?? 'slappasswd';

/** True when slapd is installed (tests/setup/system-deps.sh installs it). */
export function slapdAvailable(): boolean {
  return existsSync(slapdBinary) && existsSync(join(schemaDir, 'inetorgperson.schema'));
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const dir: TempDir = tempDir('harbor-slapd-');
  const dataDir = join(dir.path, 'data');
  mkdirSync(dataDir);
  const confPath = join(dir.path, 'slapd.conf');
  const pidPath = join(dir.path, 'slapd.pid');
  writeFileSync(confPath, slapdConf(pidPath, dir.path, dataDir));
  const ldifPath = join(dir.path, 'seed.ldif');
  writeFileSync(ldifPath, seedLdif(options.users ?? [], options.groups ?? []));
  // slapadd writes the database offline: no server, no network, nothing to wait for.
  execFileSync(slapaddBinary, ['-f', confPath, '-l', ldifPath], { stdio: 'pipe' });

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const proc = spawn(slapdBinary, ['-h', `${url}/`, '-f', confPath, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = proc;
    // Ours is up when its pidfile names it and the port answers: after a restart the port may
    // have been taken by someone else's server meanwhile, which must not pass for ours.
    await waitFor(
      `slapd on port ${port}`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`slapd exited with ${proc.exitCode ?? proc.signalCode}: ${output}`);
        if (pidInFile(pidPath) !== proc.pid) return false;
        return portAnswers(port);
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url,
    port,
    suffix,
    rootDn,
    rootPassword,
    peopleDn: `ou=people,${suffix}`,
    groupsDn: `ou=groups,${suffix}`,
    userDn: (uid) => `uid=${uid},ou=people,${suffix}`,
    groupDn: (cn) => `cn=${cn},ou=groups,${suffix}`,
    stop,
    restart: launch,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      dir.remove();
    },
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function pidInFile(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}

function slapdConf(pidPath: string, dir: string, dataDir: string): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${schemaDir}/${s}.schema`),
    `pidfile ${pidPath}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    // Anyone may bind (that is how passwords are checked); only authenticated users read.
    'access to attrs=userPassword by self read by anonymous auth by * none',
    'access to * by users read by anonymous auth',
    'database mdb',
    'maxsize 10485760',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${hashPassword(rootPassword)}`,
    `directory ${dataDir}`,
    'index objectClass eq',
    'index uid eq',
    'index member eq',
    '',
  ].join('\n');
}

function seedLdif(users: DirectoryUser[], groups: DirectoryGroup[]): string {
  const entries: string[][] = [
    [`dn: ${suffix}`, 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example'],
    [`dn: ou=people,${suffix}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ou=groups,${suffix}`, 'objectClass: organizationalUnit', 'ou: groups'],
  ];
  const extraOus = new Set(users.map((u) => u.ou).filter((ou): ou is string => ou !== undefined && ou !== 'people'));
  for (const ou of extraOus) entries.push([`dn: ou=${ou},${suffix}`, 'objectClass: organizationalUnit', `ou: ${ou}`]);
  for (const user of users) {
    const cn = user.cn ?? user.uid;
    entries.push([
      `dn: uid=${user.uid},ou=${user.ou ?? 'people'},${suffix}`,
      'objectClass: inetOrgPerson',
      `uid: ${user.uid}`,
      `cn: ${cn}`,
      `sn: ${cn}`,
      ...(user.mail ? [`mail: ${user.mail}`] : []),
      ...Object.entries(user.extra ?? {}).flatMap(([name, values]) => values.map((v) => `${name}: ${v}`)),
      `userPassword: ${hashPassword(user.password)}`,
    ]);
  }
  for (const group of groups) {
    // groupOfNames needs at least one member; an empty group names the root DN.
    const members = group.members.length > 0 ? group.members.map((uid) => `uid=${uid},ou=people,${suffix}`) : [rootDn];
    entries.push([`dn: cn=${group.cn},ou=groups,${suffix}`, 'objectClass: groupOfNames', `cn: ${group.cn}`, ...members.map((m) => `member: ${m}`)]);
  }
  return `${entries.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** `{SSHA}` hash made by slappasswd itself, so the server checks passwords its own way. */
function hashPassword(password: string): string {
  return execFileSync(slappasswdBinary, ['-s', password], { encoding: 'utf8' }).trim();
}
