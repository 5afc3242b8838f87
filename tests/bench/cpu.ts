import { readFileSync } from 'node:fs';
import { run } from './process';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** user + system CPU seconds a process has used so far; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/** utime + stime from a /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseProcStat(line: string): number {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The processes listening on these TCP ports of 127.0.0.1 (from `ss`). */
export async function pidsListeningOn(ports: number[]): Promise<number[]> {
  const result = await run('ss', ['-Hltnp'], { timeoutMs: 10_000 });
  const pids = new Set<number>();
  for (const line of result.stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[3] ?? '';
    const port = Number(local.slice(local.lastIndexOf(':') + 1));
    if (!ports.includes(port)) continue;
    for (const match of line.matchAll(/pid=(\d+)/g)) pids.add(Number(match[1]));
  }
  return [...pids];
}

/** CPU seconds the given processes use while `action` runs, in all and per process. */
export async function cpuDuring<T>(pids: number[], action: () => Promise<T>): Promise<{ result: T; cpuSeconds: number; byPid: Map<number, number> }> {
  const before = new Map(pids.map((pid) => [pid, processCpuSeconds(pid)]));
  const result = await action();
  const byPid = new Map(pids.map((pid) => [pid, processCpuSeconds(pid) - before.get(pid)!]));
  return { result, cpuSeconds: [...byPid.values()].reduce((a, b) => a + b, 0), byPid };
}

/** The command line's service name of a pid (`services/<name>/dist/main.js`), or its command. */
export function processName(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const service = argv.map((a) => /services\/([a-z]+)\/dist\/main\.js$/.exec(a)?.[1]).find(Boolean);
    return service ?? argv[0]!.split('/').pop()!;
  } catch {
    return String(pid);
  }
}
