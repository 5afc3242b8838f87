/**
 * Prints where a V8 .cpuprofile spent its samples: self time by function
 * (name, file:line), heaviest first. For `BENCH_CPU_PROFILE=<dir> pnpm bench`,
 * which makes every suite process write one when it stops.
 *
 *   node -r @swc-node/register tests/bench/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function selfTimes(profile: Profile): Array<{ frame: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
    const frame = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    totals.set(frame, (totals.get(frame) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()].map(([frame, ms]) => ({ frame, ms, share: ms / all })).sort((a, b) => b.ms - a.ms);
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  for (const row of rows.slice(0, Number(top ?? 30))) process.stdout.write(`${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.frame}\n`);
}
