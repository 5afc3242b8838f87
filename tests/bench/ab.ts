import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process';
import type { WrkLoad, WrkResult } from './wrk';

/** ab's summary lines and its -e percentile CSV, in the shape wrk.ts answers. */
export function parseAbOutput(stdout: string, csv: string): WrkResult {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    return match ? Number(match[1]) : Number.NaN;
  };
  const complete = number(/^Complete requests:\s+(\d+)/m);
  const seconds = number(/^Time taken for tests:\s+([\d.]+) seconds/m);
  if (!Number.isFinite(complete) || !Number.isFinite(seconds)) throw new Error(`ab printed no summary:\n${stdout.slice(-2000)}`);
  const failed = number(/^Failed requests:\s+(\d+)/m);
  const non2xx = number(/^Non-2xx responses:\s+(\d+)/m);
  const percentiles = new Map<number, number>();
  for (const line of csv.split('\n').slice(1)) {
    const [p, ms] = line.split(',');
    if (p !== undefined && ms !== undefined && p.trim() !== '') percentiles.set(Number(p), Number(ms));
  }
  const at = (p: number) => Math.round((percentiles.get(p) ?? Number.NaN) * 1000);
  return {
    requests: complete,
    durationUs: Math.round(seconds * 1e6),
    bytes: number(/^Total transferred:\s+(\d+)/m),
    errors: { connect: 0, read: 0, write: 0, status: (Number.isFinite(failed) ? failed : 0) + (Number.isFinite(non2xx) ? non2xx : 0), timeout: 0 },
    latencyUs: { mean: number(/^Time per request:\s+([\d.]+) \[ms\] \(mean\)$/m) * 1000, p50: at(50), p90: at(90), p99: at(99), max: at(100) },
  };
}

/**
 * ApacheBench for HEAD, which wrk 4.1 cannot do (its parser waits for the
 * body a HEAD answer never has). One C thread, keep-alive, fixed duration.
 */
export async function ab(load: WrkLoad, workDir: string): Promise<WrkResult> {
  const target = new URL(load.url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the bench only loads 127.0.0.1, not ${target.hostname}`);
  const csvPath = join(workDir, `ab-${process.hrtime.bigint()}.csv`);
  const headers = Object.entries(load.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const result = await run(
    'ab',
    ['-q', '-k', '-r', ...(load.method === 'HEAD' ? ['-i'] : []), '-c', String(load.connections), '-t', String(load.seconds), '-n', '10000000', '-s', '10', '-e', csvPath, ...headers, target.toString()],
    { timeoutMs: (load.seconds + 30) * 1000 },
  );
  if (result.code !== 0) throw new Error(`ab failed (${result.code}): ${result.stderr}${result.stdout.slice(-1000)}`);
  const parsed = parseAbOutput(result.stdout, readFileSync(csvPath, 'utf8'));
  if (parsed.errors.status > 0 || parsed.requests === 0) throw new Error(`ab ${load.method} ${target.pathname}: ${parsed.requests} requests, ${parsed.errors.status} failed`);
  return parsed;
}
