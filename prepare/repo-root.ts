import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RepoInfo {
  root: string;
  version: string;
}

/**
 * The Harbor-TS checkout this prepare belongs to (the build context for the
 * images) and the suite's version (their tag), found by walking up from this
 * file: it runs from `prepare/` under jest and from `dist/prepare/` when built.
 */
export function repoInfo(from: string = __dirname): RepoInfo {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'harbor-ts') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the harbor-ts package.json above ${from}`);
  }
}
