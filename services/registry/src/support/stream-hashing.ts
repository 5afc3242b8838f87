import { DigestAlgorithm, Digester } from '@harbor/oci';
import { uploadDataPath } from '../storage/layout';
import type { StorageDriver } from '../storage/storage-driver';
import type { ChunkFeed, UploadHashing } from './upload-hashing';

/**
 * Hashing in the stream, for drivers without local files (s3): each upload's
 * running Digester is fed the bytes as they pass towards storage and kept
 * between requests, so the final PUT need not read them back. It is only a
 * shortcut: when the state is missing (another process took a chunk, a
 * restart, eviction) or does not match the stored size, the upload is
 * re-read from storage.
 */
export class StreamHashing implements UploadHashing {
  /** Insertion-ordered, so the first key is the least recently stored. */
  private readonly states = new Map<string, Digester>();

  constructor(
    private readonly storage: StorageDriver,
    private readonly maxEntries = 4096,
  ) {}

  chunk(uuid: string, offset: number, algorithm: DigestAlgorithm): ChunkFeed {
    // Taken out while the request runs: a failed request must not leave a state that saw bytes storage lacks.
    const digester = this.take(uuid, offset) ?? (offset === 0 ? new Digester(algorithm) : undefined);
    return {
      observer: digester,
      stored: () => undefined,
      done: (size) => {
        // A digester has seen every byte from 0, so it only counts when it saw exactly what is stored.
        if (digester && digester.size === size) this.put(uuid, digester);
      },
    };
  }

  async digest(uuid: string, size: number, algorithm: DigestAlgorithm): Promise<string> {
    const digester = this.take(uuid, size);
    if (digester && digester.algorithm === algorithm) return digester.digest();
    return this.rehash(uuid, size, algorithm);
  }

  forget(uuid: string): void {
    this.states.delete(uuid);
  }

  /** Nothing runs besides the requests. */
  async close(): Promise<void> {}

  private take(uuid: string, offset: number): Digester | undefined {
    const digester = this.states.get(uuid);
    this.states.delete(uuid);
    return digester && digester.size === offset ? digester : undefined;
  }

  private put(uuid: string, digester: Digester): void {
    this.states.delete(uuid);
    if (this.states.size >= this.maxEntries) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
    this.states.set(uuid, digester);
  }

  /** Reads the first `size` bytes back; fewer stored than that is an error, never the digest of less. */
  private async rehash(uuid: string, size: number, algorithm: DigestAlgorithm): Promise<string> {
    const digester = new Digester(algorithm);
    const stream = await this.storage.reader(uploadDataPath(uuid), 0, size);
    for await (const chunk of stream) digester.update(chunk as Buffer);
    if (digester.size !== size) throw new Error(`upload ${uuid} has ${digester.size} bytes stored, not ${size}`);
    return digester.digest();
  }
}
