import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, run } from './process';
import type { Target } from './targets';

export interface CopyTimes {
  /** Median seconds of `skopeo copy oci:… docker://…`. */
  push: number;
  /** Median seconds of `skopeo copy docker://… dir:…`. */
  pull: number;
}

const repoRoot = resolve(__dirname, '..', '..');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function hyperfine(name: string, command: string, prepare: string, runs: number, exportPath: string): Promise<number> {
  ok(
    await run('hyperfine', ['--runs', String(runs), '--style', 'none', '--prepare', prepare, '--export-json', exportPath, '--command-name', name, command], {
      cwd: repoRoot,
      timeoutMs: runs * 180_000,
    }),
    `hyperfine ${name}`,
  );
  const report = JSON.parse(readFileSync(exportPath, 'utf8')) as { results: Array<{ median: number }> };
  return report.results[0]!.median;
}

/**
 * `skopeo copy` of a `layers`-layer image both ways, timed by hyperfine
 * (median of `runs`). Before each push a fresh layout with new random layers
 * is written, so nothing is skipped as already present; before each pull the
 * destination directory is emptied.
 */
export async function skopeoBothWays(target: Target, work: string, layers: number, layerBytes: number, runs: number): Promise<CopyTimes> {
  const layout = join(work, `${target.key}-layout`);
  const out = join(work, `${target.key}-pulled`);
  const host = new URL(target.url).host;
  const reference = `docker://${host}/bench/skopeo:v1`;
  const makeLayout = ['node', '-r', '@swc-node/register', join(__dirname, 'image-layout.ts'), layout, String(layers), String(layerBytes)].map(quote).join(' ');
  const push = ['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', ...target.skopeoCreds('dest'), `oci:${layout}:v1`, reference].map(quote).join(' ');
  const pull = ['skopeo', 'copy', '--quiet', '--src-tls-verify=false', ...target.skopeoCreds('src'), reference, `dir:${out}`].map(quote).join(' ');
  return {
    push: await hyperfine(`skopeo push (${target.key})`, push, makeLayout, runs, join(work, `${target.key}-push.json`)),
    pull: await hyperfine(`skopeo pull (${target.key})`, pull, `rm -rf ${quote(out)}`, runs, join(work, `${target.key}-pull.json`)),
  };
}
