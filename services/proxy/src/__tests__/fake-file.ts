import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';

/** One write that landed in a FakeFile: through which of its handles, where and how many bytes. */
export interface FakeWrite {
  via: string;
  position: number;
  length: number;
}

/**
 * A file in memory (or only its size, when `sizeOnly`) for the upload writer's
 * tests. Several handles (`handle('direct')`) write into the same content, as
 * two descriptors of one file do, and every landed write is logged with its
 * handle's name. `gate` (when set) holds every write until the test releases
 * it; `refuse` fails a write with the code it returns, before anything lands.
 */
export class FakeFile {
  content = Buffer.alloc(0);
  size = 0;
  sizeOnly = false;
  /** Writes started, gated or not, landed or not. */
  writes = 0;
  syncs = 0;
  maxPerWrite = Infinity;
  failAfter = Infinity;
  syncError: string | null = null;
  gate: Promise<void> | null = null;
  refuse: ((write: FakeWrite) => string | null) | null = null;
  readonly log: FakeWrite[] = [];

  handle(via = 'cached'): FileHandle {
    return {
      writev: async (buffers: Buffer[], position: number) => {
        this.writes += 1;
        if (this.gate) await this.gate;
        const all = Buffer.concat(buffers);
        const refused = this.refuse?.({ via, position, length: all.length }) ?? null;
        if (refused) throw Object.assign(new Error(`refused: ${refused}`), { code: refused });
        if (position + all.length > this.failAfter) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        const n = Math.min(all.length, this.maxPerWrite);
        this.size = Math.max(this.size, position + n);
        this.log.push({ via, position, length: n });
        if (this.sizeOnly) return { bytesWritten: n, buffers };
        const end = Math.max(this.content.length, position + n);
        const next = Buffer.alloc(end);
        this.content.copy(next);
        all.copy(next, position, 0, n);
        this.content = next;
        return { bytesWritten: n, buffers };
      },
      datasync: async () => {
        this.syncs += 1;
        if (this.syncError) throw Object.assign(new Error('sync failed'), { code: this.syncError });
      },
    } as unknown as FileHandle;
  }

  /** The landed writes made through one handle. */
  writesVia(via: string): FakeWrite[] {
    return this.log.filter((w) => w.via === via);
  }
}

/** A client's body as the writer sees it; `complete` is set by the test, as the HTTP parser would. */
export function fakeBody(): PassThrough & { complete: boolean } {
  return Object.assign(new PassThrough(), { complete: false });
}

export const asRequest = (b: PassThrough): IncomingMessage => b as unknown as IncomingMessage;
