import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type WriteOutcome = 'written' | 'unchanged';

/**
 * Writes `content` to `path` only when the file's content or mode differs,
 * so a second prepare with the same harbor.cfg touches nothing (mtimes stay,
 * supervisors watching mtimes do not restart anything). The write goes to a
 * temporary file renamed into place, so a service never reads half a config.
 * With `dryRun` it only reports what it would do.
 */
export async function writeIfChanged(path: string, content: string, mode: number, dryRun = false): Promise<WriteOutcome> {
  if (await isSame(path, content, mode)) return 'unchanged';
  if (dryRun) return 'written';
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
  return 'written';
}

async function isSame(path: string, content: string, mode: number): Promise<boolean> {
  try {
    const [current, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return current === content && (info.mode & 0o777) === mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
