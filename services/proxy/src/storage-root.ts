import { realpathSync } from 'node:fs';

/**
 * The registry's storage root as the proxy sees it, resolved to its real
 * path (every symbolic link followed) on first use. The registry creates the
 * root when it starts, which may be after the proxy: until then the root is
 * not ready and the proxy carries bytes as if no root were configured.
 */
export class StorageRoot {
  private real: string | null = null;

  constructor(private readonly directory: string) {}

  ready(): boolean {
    if (this.real !== null) return true;
    try {
      this.real = realpathSync.native(this.directory);
      return true;
    } catch {
      return false;
    }
  }

  /** The real path; call only after `ready()` answered true. */
  get realPath(): string {
    if (this.real === null) throw new Error('storage root is not ready');
    return this.real;
  }
}

/** A missing file or directory on the way to it. */
export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
