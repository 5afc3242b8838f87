/**
 * `pnpm bench`: Harbor-TS (through the proxy, token auth on) against CNCF
 * Distribution 2.8 (direct, no auth), both on this machine, one scenario at
 * a time and alternating between the two. Prints the figures with the ratio
 * ours/theirs against the targets of issue 3, and writes
 * tests/bench/results/latest.{json,md}. See tests/bench/README.md.
 */
import { randomFillSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '@harbor/testkit';
import { cpuDuring, processName } from './cpu';
import { markdownTable, textTable } from './format';
import { destroyAgent, pullBlob, pushChunked, pushMonolithic, pushSmallImage, sha256, smallBlobPushes } from './registry-client';
import { skopeoBothWays } from './skopeo';
import { Figure, median, megabytesPerSecond, MiB } from './stats';
import { benchProject, startDistribution, startHarbor, Target } from './targets';
import { ab } from './ab';
import { requestsPerSecond, wrk, WrkLoad, WrkResult } from './wrk';

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  blobBytes: Number(process.env.BENCH_BLOB_MIB ?? (quick ? 32 : 256)) * MiB,
  chunkBytes: Number(process.env.BENCH_CHUNK_MIB ?? (quick ? 4 : 32)) * MiB,
  pushRuns: Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3)),
  pullRuns: quick ? 1 : 3,
  parallelPulls: 8,
  connections: 32,
  loadSeconds: Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 8)),
  warmupSeconds: quick ? 1 : 2,
  tags: 50,
  smallBlobs: quick ? 200 : 1000,
  smallBlobConcurrency: 8,
  smallBlobSeconds: quick ? 5 : 15,
  tokenConnections: 8,
  skopeoLayers: 10,
  skopeoLayerBytes: (quick ? 1 : 4) * MiB,
  skopeoRuns: quick ? 1 : 3,
};
const groups = new Set((process.env.BENCH_ONLY ?? 'push,pull,manifest,tags,small,token,skopeo').split(','));
/** Nothing here may run past this: every loop is bounded in count and the whole run in time. */
const hardLimitMs = Number(process.env.BENCH_LIMIT_SECONDS ?? 900) * 1000;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const stops: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => say(`cleanup: ${String(err)}`));
    destroyAgent();
  };
  const abort = (why: string) => {
    say(`\nbench: ${why}; stopping everything`);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  const limit = setTimeout(() => abort(`still running after ${hardLimitMs / 1000} s`), hardLimitMs);

  const work = tempDir('harbor-bench-');
  stops.push(async () => work.remove());
  const loadStart = loadavg();
  try {
    say(`bench: ${cpus().length} cores, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}${quick ? ' (quick mode)' : ''}`);
    if (loadStart[0]! > cpus().length * 0.75) say('bench: WARNING: the machine is busy; figures will be noisy');
    say('bench: starting CNCF Distribution and the Harbor-TS suite');
    const theirs = await startDistribution();
    stops.push(() => theirs.stop());
    const ours = await startHarbor({ cpuProfileDir: process.env.BENCH_CPU_PROFILE, logLevel: process.env.BENCH_LOG_LEVEL });
    if (process.env.BENCH_LOG_LEVEL) say(`bench: Harbor-TS runs with log_level = ${process.env.BENCH_LOG_LEVEL} (not as shipped)`);
    stops.push(() => ours.stop());
    const targets = [theirs, ours];
    const figures: Figure[] = [];
    const both = async <T>(what: string, measure: (t: Target) => Promise<T>): Promise<Record<'ours' | 'theirs', T>> => {
      const out = {} as Record<'ours' | 'theirs', T>;
      for (const target of targets) {
        try {
          out[target.key] = await measure(target);
        } catch (err) {
          throw new Error(`${what} on ${target.key}: ${(err as Error).message}\n${target.output()}`);
        }
      }
      return out;
    };

    // ---- 256 MiB blob pushes: fresh content each time, so neither side can skip the bytes.
    const blob = Buffer.allocUnsafe(settings.blobBytes);
    for (let at = 0; at < blob.length; at += 16 * MiB) randomFillSync(blob, at, Math.min(16 * MiB, blob.length - at));
    const pushed: Partial<Record<'ours' | 'theirs', string>> = {};
    const freshDigest = () => {
      randomFillSync(blob, 0, 64);
      return sha256(blob);
    };
    if (groups.has('push') || groups.has('pull')) {
      const mono: Record<'ours' | 'theirs', number[]> = { ours: [], theirs: [] };
      const chunked: Record<'ours' | 'theirs', number[]> = { ours: [], theirs: [] };
      const monoCpu: Record<'ours' | 'theirs', number[]> = { ours: [], theirs: [] };
      let patches = 0;
      for (let i = 0; i < settings.pushRuns; i++) {
        const monoRun = await both('monolithic push', async (t) => {
          const digest = freshDigest();
          const { result: seconds, cpuSeconds, byPid } = await cpuDuring(await t.serverPids(), () => timed(() => pushMonolithic(t, `${benchProject}/blob`, blob, digest)));
          pushed[t.key] = digest;
          const gb = settings.blobBytes / 1e9;
          say(`  monolithic push on ${t.key}: server CPU s per GB: ${[...byPid].map(([pid, cpu]) => `${processName(pid)} ${(cpu / gb).toFixed(2)}`).join(', ')}`);
          return { seconds, cpuSeconds };
        });
        mono.ours.push(monoRun.ours.seconds);
        mono.theirs.push(monoRun.theirs.seconds);
        monoCpu.ours.push(monoRun.ours.cpuSeconds);
        monoCpu.theirs.push(monoRun.theirs.cpuSeconds);
        if (!groups.has('push')) break;
        const chunkRun = await both('chunked push', async (t) => {
          const digest = freshDigest();
          return timed(async () => {
            patches = await pushChunked(t, `${benchProject}/blob`, blob, digest, settings.chunkBytes);
          });
        });
        chunked.ours.push(chunkRun.ours);
        chunked.theirs.push(chunkRun.theirs);
        say(`  push run ${i + 1}: monolithic ${fmt(monoRun.theirs.seconds)} s / ${fmt(monoRun.ours.seconds)} s, chunked ${fmt(chunkRun.theirs)} s / ${fmt(chunkRun.ours)} s (theirs / ours)`);
      }
      const mbps = (s: number[]) => megabytesPerSecond(settings.blobBytes, median(s));
      if (groups.has('push')) {
        figures.push(rate('push.monolithic', `monolithic push of ${settings.blobBytes / MiB} MiB (POST + PUT)`, 'MB/s', mbps(mono.ours), mbps(mono.theirs), 2.0));
        const perGb = (s: number[]) => median(s) / (settings.blobBytes / 1e9);
        figures.push(cost('push.monolithic.cpu', 'monolithic push, server CPU per GB', 's/GB', perGb(monoCpu.ours), perGb(monoCpu.theirs)));
        figures.push(
          rate('push.chunked', `chunked push of ${settings.blobBytes / MiB} MiB (${patches} PATCHes)`, 'MB/s', mbps(chunked.ours), mbps(chunked.theirs), 2.0),
        );
      }
    }

    if (groups.has('pull')) {
      for (const parallel of [1, settings.parallelPulls]) {
        const samples: Record<'ours' | 'theirs', number[]> = { ours: [], theirs: [] };
        const cpuPerGb: Record<'ours' | 'theirs', number[]> = { ours: [], theirs: [] };
        for (let i = 0; i < settings.pullRuns; i++) {
          const r = await both(`pull x${parallel}`, async (t) => {
            const { result, cpuSeconds, byPid } = await cpuDuring(await t.serverPids(), () => pullBlob(t, `${benchProject}/blob`, pushed[t.key]!, settings.blobBytes, parallel));
            const gb = result.bytes / 1e9;
            const perProcess = [...byPid].map(([pid, cpu]) => `${processName(pid)} ${(cpu / gb).toFixed(2)}`).join(', ');
            say(`  pull x${parallel} on ${t.key}: ${megabytesPerSecond(result.bytes, result.seconds).toFixed(0)} MB/s; server CPU s per GB: ${perProcess}`);
            return { mbps: megabytesPerSecond(result.bytes, result.seconds), cpuPerGb: cpuSeconds / gb };
          });
          samples.ours.push(r.ours.mbps);
          samples.theirs.push(r.theirs.mbps);
          cpuPerGb.ours.push(r.ours.cpuPerGb);
          cpuPerGb.theirs.push(r.theirs.cpuPerGb);
        }
        const label = parallel === 1 ? `pull of the ${settings.blobBytes / MiB} MiB blob` : `pull, ${parallel} at once (aggregate)`;
        figures.push(rate(parallel === 1 ? 'pull.single' : 'pull.parallel', label, 'MB/s', median(samples.ours), median(samples.theirs), 1.0));
        if (parallel === 1) figures.push(cost('pull.single.cpu', 'pull, server CPU per GB', 's/GB', median(cpuPerGb.ours), median(cpuPerGb.theirs)));
      }
    }

    if (groups.has('manifest') || groups.has('tags') || groups.has('token')) {
      const tags = Array.from({ length: settings.tags }, (_, i) => `t${String(i).padStart(3, '0')}`);
      await both('small image push', (t) => pushSmallImage(t, `${benchProject}/manifest`, ['latest', ...tags]));
    }
    const load = async (t: Target, method: 'GET' | 'HEAD', path: string, extra: Record<string, string>, connections = settings.connections) => {
      const auth = await t.authorization(`${benchProject}/manifest`, 'pull');
      const headers = { ...extra, ...(auth ? { Authorization: auth } : {}) };
      // wrk cannot do HEAD (its parser waits for a body): ab does those.
      // BENCH_GENERATOR=ab puts GETs on ab too, to compare GET with HEAD on one generator.
      const generator = (l: WrkLoad) => (method === 'HEAD' || process.env.BENCH_GENERATOR === 'ab' ? ab(l, work.path) : wrk(l));
      await generator({ url: `${t.url}${path}`, method, headers, connections, seconds: settings.warmupSeconds });
      const { result, cpuSeconds, byPid } = await cpuDuring(await t.serverPids(), () =>
        generator({ url: `${t.url}${path}`, method, headers, connections, seconds: settings.loadSeconds }),
      );
      const perProcess = [...byPid].map(([pid, cpu]) => `${processName(pid)} ${Math.round((cpu * 1e6) / result.requests)}`).join(', ');
      say(`  ${method} ${path.split('?')[0]} on ${t.key}: ${Math.round(requestsPerSecond(result))} req/s; server CPU µs per request: ${perProcess}`);
      return { ...result, cpuUsPerRequest: (cpuSeconds * 1e6) / result.requests, perProcess };
    };
    const requestFigures = (key: string, label: string, r: Record<'ours' | 'theirs', WrkResult & { cpuUsPerRequest: number; perProcess: string }>, target: number) => {
      figures.push(rate(`${key}.rps`, `${label}, ${settings.connections} connections`, 'req/s', requestsPerSecond(r.ours), requestsPerSecond(r.theirs), target));
      figures.push({ key: `${key}.p99`, label: `${label}, p99 latency`, unit: 'ms', direction: 'lower', ours: r.ours.latencyUs.p99 / 1000, theirs: r.theirs.latencyUs.p99 / 1000, target: null });
      figures.push({
        ...cost(`${key}.cpu`, `${label}, server CPU per request`, 'µs', r.ours.cpuUsPerRequest, r.theirs.cpuUsPerRequest),
        note: `µs per request by process: ours ${r.ours.perProcess}; theirs ${r.theirs.perProcess}`,
      });
    };
    const accept = { Accept: 'application/vnd.oci.image.manifest.v1+json' };
    if (groups.has('manifest')) {
      requestFigures('manifest.get', 'manifest GET by tag', await both('manifest GET', (t) => load(t, 'GET', `/v2/${benchProject}/manifest/manifests/latest`, accept)), 2.0);
      requestFigures('manifest.head', 'manifest HEAD by tag', await both('manifest HEAD', (t) => load(t, 'HEAD', `/v2/${benchProject}/manifest/manifests/latest`, accept)), 2.0);
    }
    if (groups.has('tags')) {
      requestFigures(`tags.list`, `tags/list (${settings.tags + 1} tags)`, await both('tags/list', (t) => load(t, 'GET', `/v2/${benchProject}/manifest/tags/list`, {})), 2.0);
    }
    if (groups.has('small')) {
      const r = await both('small-blob pushes', async (t) => {
        const { result, byPid } = await cpuDuring(await t.serverPids(), () =>
          smallBlobPushes(t, `${benchProject}/small`, settings.smallBlobs, settings.smallBlobConcurrency, settings.smallBlobSeconds),
        );
        const perProcess = [...byPid].map(([pid, cpu]) => `${processName(pid)} ${Math.round((cpu * 1e6) / result.pushes)}`).join(', ');
        say(`  small-blob pushes on ${t.key}: ${result.rate.toFixed(0)} ops/s; server CPU µs per push: ${perProcess}`);
        return result.rate;
      });
      figures.push(rate('small.push', `1 KiB blob pushes (POST + PUT), ${settings.smallBlobConcurrency} at once`, 'ops/s', r.ours, r.theirs, 1.0));
    }
    if (groups.has('token')) {
      const path = `/service/token?service=harbor-registry&scope=${encodeURIComponent(`repository:${benchProject}/manifest:pull,push`)}`;
      const r = await load({ ...ours, authorization: async () => undefined }, 'GET', path, { Authorization: ours.adminBasic! }, settings.tokenConnections);
      figures.push({
        key: 'token.issue',
        label: `token issue (admin, Basic auth, ${settings.tokenConnections} connections)`,
        unit: 'tokens/s',
        direction: 'higher',
        ours: requestsPerSecond(r),
        theirs: null,
        target: null,
        note: `p99 ${fmt(r.latencyUs.p99 / 1000)} ms, ${fmt(r.cpuUsPerRequest / 1000)} ms server CPU per token`,
      });
    }
    if (groups.has('skopeo')) {
      const r = await both('skopeo copy', (t) => skopeoBothWays(t, work.path, settings.skopeoLayers, settings.skopeoLayerBytes, settings.skopeoRuns));
      const label = `${settings.skopeoLayers}-layer image (${(settings.skopeoLayers * settings.skopeoLayerBytes) / MiB} MiB)`;
      figures.push({ key: 'skopeo.push', label: `skopeo copy push, ${label}`, unit: 's', direction: 'lower', ours: r.ours.push, theirs: r.theirs.push, target: null });
      figures.push({ key: 'skopeo.pull', label: `skopeo copy pull, ${label}`, unit: 's', direction: 'lower', ours: r.ours.pull, theirs: r.theirs.pull, target: null });
    }

    const loadEnd = loadavg();
    say('');
    say('Harbor-TS is measured through its proxy with token auth on (Bearer token from /service/token);');
    say('Distribution 2.8 directly, without auth. "ours vs theirs" > 1 means Harbor-TS is better (for s and ms it is theirs/ours).');
    say('');
    say(textTable(figures));
    const results = {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadavgStart: loadStart, loadavgEnd: loadEnd },
      how: {
        ours: 'Harbor-TS suite (tests/support/suite.ts) through the proxy, token auth on (Bearer token from /service/token as admin)',
        theirs: 'CNCF Distribution 2.8 (Debian docker-registry), direct, no auth, filesystem storage, in-memory blob descriptor cache',
        loadGenerator: 'wrk (C) with tests/bench/request.lua for request rates; Node http (keep-alive) for pushes; curl for pulls; hyperfine for skopeo',
      },
      settings,
      figures,
    };
    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(
      join(resultsDir, 'latest.md'),
      `Run of ${results.date} on ${results.machine.cores} cores (${results.machine.cpu}), load ${loadStart.map((l) => l.toFixed(2)).join(' ')} at start.\n` +
        `Harbor-TS through its proxy with token auth on; Distribution 2.8 direct, no auth.\n\n${markdownTable(figures)}\n`,
    );
    say(`\nbench: results in ${join(resultsDir, 'latest.json')} and latest.md`);
    return 0;
  } finally {
    clearTimeout(limit);
    await cleanup();
  }
}

/** Server CPU (user + system) per unit of work: what a busy shared machine cannot blur as much as a rate. */
function cost(key: string, label: string, unit: string, ours: number, theirs: number): Figure {
  return { key, label, unit, direction: 'lower', ours, theirs, target: null };
}

function rate(key: string, label: string, unit: string, ours: number, theirs: number, target: number): Figure {
  return { key, label, unit, direction: 'higher', ours, theirs, target };
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function fmt(n: number): string {
  return n.toFixed(2);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
