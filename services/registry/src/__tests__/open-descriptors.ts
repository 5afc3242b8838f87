import { readdirSync, readlinkSync } from 'node:fs';

/** Descriptors of this process (its worker threads' included) open on `path` or below it. */
export function descriptorsOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)) count++;
    } catch {
      // closed while listing
    }
  }
  return count;
}
