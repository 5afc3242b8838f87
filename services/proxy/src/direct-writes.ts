import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * File positions, lengths and memory of a direct write are multiples of this:
 * the largest logical block size a Linux block device has, so it suits them all.
 */
export const directAlignment = 4096;

/** Bytes gathered from the client before one direct write. */
export const directWriteBytes = 4 * 1024 * 1024;

/** Large uploads written directly at once; more wait for nothing and go through the page cache. */
export const directWriteSlots = 16;

const wasmPageBytes = 64 * 1024;

/** The one part of the WebAssembly API used here (this project's TypeScript libs do not declare it). */
interface WasmGlobal {
  WebAssembly: { Memory: new (size: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer } };
}

/**
 * Upload bytes written with `O_DIRECT` go from the proxy's buffer to the disk
 * without a page-cache copy. A pushed layer is read once more (hashed) and
 * then rarely soon, so caching it only evicts what pulls need; and on a VM
 * whose free memory goes back to the host, every fresh page-cache page costs
 * a host fault — measured here as most of a 256 MiB push's time. Direct
 * writes need memory aligned to the device's block size, which Node's
 * buffers are not; a WebAssembly memory is mapped pages, so slices of it at
 * multiples of 4 KiB are. The pool never grows (growing would detach buffers
 * with writes in flight): an upload finding no free slot writes as before.
 * The memory is shared, so the hashing thread reads the staged bytes where
 * they lie (upload-hashing.ts).
 */
export class DirectWriteBuffers {
  private readonly free: Buffer[] = [];
  /** The memory every buffer is a slice of, or null when there is none. */
  readonly memory: SharedArrayBuffer | null = null;
  /** Cleared when a filesystem refuses aligned direct writes: nothing more is tried. */
  private supported = true;

  constructor(slots = directWriteSlots, readonly slotBytes = directWriteBytes) {
    if (slotBytes % wasmPageBytes !== 0) throw new Error(`direct write buffers must be a multiple of ${wasmPageBytes} bytes`);
    const pages = (slots * slotBytes) / wasmPageBytes;
    let all: Buffer;
    try {
      // Backing pages are touched only when first written, so unused slots cost address space only.
      this.memory = new (globalThis as unknown as WasmGlobal).WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
      all = Buffer.from(this.memory);
    } catch {
      // No WebAssembly (node --jitless) or no address space for it (a tight ulimit -v): uploads go through the cache.
      this.supported = false;
      return;
    }
    for (let i = 0; i < slots; i++) this.free.push(all.subarray(i * slotBytes, (i + 1) * slotBytes));
  }

  /** A buffer for one upload, or null when all are taken or direct writes do not work here. */
  take(): Buffer | null {
    return this.supported ? (this.free.pop() ?? null) : null;
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }

  /** The filesystem refused an aligned direct write: later uploads go through the page cache. */
  unsupported(): void {
    this.supported = false;
  }

  get available(): number {
    return this.supported ? this.free.length : 0;
  }
}

/** Which file a descriptor has open. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/**
 * A second descriptor of the very file `handle` has open, with `O_DIRECT`
 * (`known`: the handle's identity, when the caller has just stat'ed it);
 * `unsupported` on a filesystem without direct I/O (tmpfs before Linux 6.6, some network filesystems), null when it
 * cannot be had this time (no /proc, out of descriptors). Reopened through
 * /proc rather than by path, so it is the checked file even if its name has
 * been replaced since.
 */
export async function openDirect(handle: FileHandle, known?: FileIdentity): Promise<FileHandle | 'unsupported' | null> {
  let direct: FileHandle;
  try {
    direct = await open(`/proc/self/fd/${handle.fd}`, constants.O_WRONLY | constants.O_DIRECT);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EINVAL' ? 'unsupported' : null;
  }
  try {
    const [mine, twin] = await Promise.all([known ?? handle.stat(), direct.stat()]);
    if (mine.dev === twin.dev && mine.ino === twin.ino) return direct;
  } catch {
    // Fall through: not provably the same file.
  }
  await direct.close().catch(() => undefined);
  return null;
}
