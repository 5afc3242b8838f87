import { join } from 'node:path';
import { run } from './process';

export interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { mean: number; p50: number; p90: number; p99: number; max: number };
}

export interface WrkLoad {
  url: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  threads?: number;
}

/** The line request.lua's `done` prints, parsed; throws when it is missing. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH_JSON '.length)) as WrkResult;
}

/**
 * A fixed-duration closed-loop load from wrk (C, event loop, one thread per
 * core): it leaves the two cores to the servers far more than a Node load
 * generator would. Any non-2xx/3xx answer or socket error fails the figure.
 */
export async function wrk(load: WrkLoad): Promise<WrkResult> {
  const target = new URL(load.url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the bench only loads 127.0.0.1, not ${target.hostname}`);
  const result = await run(
    'wrk',
    [
      `-t${load.threads ?? 2}`,
      `-c${load.connections}`,
      `-d${load.seconds}s`,
      '--timeout',
      '10s',
      '-s',
      join(__dirname, 'request.lua'),
      `${target.protocol}//${target.host}`,
    ],
    {
      env: {
        BENCH_METHOD: load.method,
        BENCH_PATH: `${target.pathname}${target.search}`,
        BENCH_HEADERS: Object.entries(load.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      },
      timeoutMs: (load.seconds + 30) * 1000,
    },
  );
  if (result.code !== 0) throw new Error(`wrk failed (${result.code}): ${result.stderr}${result.stdout}`);
  const parsed = parseWrkOutput(result.stdout);
  const failures = Object.values(parsed.errors).reduce((a, b) => a + b, 0);
  if (failures > 0 || parsed.requests === 0) {
    // One more request, to say what the server answered.
    const sample = await fetch(target, { method: load.method, headers: load.headers }).then(
      async (res) => `${res.status} ${(await res.text()).slice(0, 300)}`,
      (err: Error) => err.message,
    );
    throw new Error(`wrk ${load.method} ${target.pathname}: ${parsed.requests} requests, errors ${JSON.stringify(parsed.errors)}; a sample answer: ${sample}`);
  }
  return parsed;
}

export function requestsPerSecond(result: WrkResult): number {
  return result.requests / (result.durationUs / 1e6);
}
