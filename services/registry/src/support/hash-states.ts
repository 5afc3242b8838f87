import type { Digester } from '@harbor/oci';

interface State {
  digester: Digester;
  /** Bytes the digester has seen; only valid while it equals the upload's stored size. */
  offset: number;
}

/**
 * The running hash of each upload this process has been feeding, so the
 * final PUT need not read the bytes back. It is only a shortcut: when the
 * state is missing (another process took a chunk, a restart, eviction) or
 * behind the stored size, the upload is re-hashed from storage.
 */
export class HashStates {
  private readonly states = new Map<string, State>();

  constructor(private readonly maxEntries = 4096) {}

  /** The digester for an upload currently at `offset` bytes, if ours is exactly there. */
  take(uuid: string, offset: number): Digester | undefined {
    const state = this.states.get(uuid);
    this.states.delete(uuid);
    return state && state.offset === offset ? state.digester : undefined;
  }

  put(uuid: string, digester: Digester, offset: number): void {
    this.states.delete(uuid);
    if (this.states.size >= this.maxEntries) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    this.states.set(uuid, { digester, offset });
  }

  forget(uuid: string): void {
    this.states.delete(uuid);
  }
}
