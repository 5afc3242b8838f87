/**
 * Lets identical reads that arrive in the same turn of the event loop share
 * one database round trip, without ever answering from the past.
 *
 * A read is not started when asked for: it waits until the loop has handled
 * every request that arrived with it (`setImmediate`, after the poll phase),
 * and every read asked for meanwhile with the same key joins it. Then the
 * batch starts and is forgotten at once: a read asked for after that gets a
 * query of its own, even while the shared one is still in flight. So every
 * caller's query is sent after the caller asked, and sees every write that
 * had committed by then, through this registry or any other on the same
 * database (a result is never kept: this is not a cache). Under load, when
 * many clients pull the same tag, the registry reads several requests per
 * loop turn and sends one statement for all of them instead of one each,
 * which saves the registry and MariaDB a round trip per request.
 */
export class SameTickReads<V> {
  private waiting = new Map<string, Batch<V>>();
  private scheduled = false;
  private counts = { reads: 0, queries: 0 };

  /** `run`'s result for `key`, shared with the reads of the same key asked for in this loop turn. */
  read(key: string, run: () => Promise<V>): Promise<V> {
    this.counts.reads += 1;
    let batch = this.waiting.get(key);
    if (!batch) {
      let resolve!: (value: V) => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<V>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      batch = { run, promise, resolve, reject };
      this.waiting.set(key, batch);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.start);
      }
    }
    return batch.promise;
  }

  /** Reads asked for and queries run so far (for tests and diagnostics). */
  get stats(): { readonly reads: number; readonly queries: number } {
    return { ...this.counts };
  }

  private readonly start = (): void => {
    const batches = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    for (const batch of batches.values()) {
      this.counts.queries += 1;
      let running: Promise<V>;
      try {
        running = batch.run();
      } catch (err) {
        running = Promise.reject(err);
      }
      running.then(batch.resolve, batch.reject);
    }
  };
}

interface Batch<V> {
  run: () => Promise<V>;
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (err: unknown) => void;
}
