/**
 * `SameTickReads`: reads of one key asked for in the same loop turn share
 * one run; a read asked for once that run has started never joins it (its
 * query must be sent after it was asked, or it could miss a write committed
 * in between); keys never mix; a failure reaches every sharer and is not kept.
 */
import { SameTickReads } from './same-tick-reads';

/** A run the test finishes by hand, counting how often it was started. */
function controlled<V>() {
  const started: Array<{ resolve: (v: V) => void; reject: (e: unknown) => void }> = [];
  const run = () =>
    new Promise<V>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { run, started };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SameTickReads', () => {
  it('runs a read once for every caller of the same key in the same loop turn', async () => {
    const reads = new SameTickReads<string>();
    const { run, started } = controlled<string>();
    const a = reads.read('bench/app|latest', run);
    const b = reads.read('bench/app|latest', run);
    const c = reads.read('bench/app|latest', run);
    expect(started).toHaveLength(0); // nothing is sent before the turn's other requests are in
    await nextTurn();
    expect(started).toHaveLength(1);
    started[0]!.resolve('row');
    await expect(Promise.all([a, b, c])).resolves.toEqual(['row', 'row', 'row']);
    expect(reads.stats).toEqual({ reads: 3, queries: 1 });
  });

  it('gives a read asked for after the shared run started a run of its own, even while that one is in flight', async () => {
    const reads = new SameTickReads<string>();
    const { run, started } = controlled<string>();
    const early = reads.read('k', run);
    await nextTurn();
    expect(started).toHaveLength(1);
    // The first run has not answered yet; a newer write may have committed since it was sent.
    const late = reads.read('k', run);
    await nextTurn();
    expect(started).toHaveLength(2);
    started[1]!.resolve('after the push');
    started[0]!.resolve('before the push');
    await expect(early).resolves.toBe('before the push');
    await expect(late).resolves.toBe('after the push');
  });

  it('runs different keys separately, in the same turn', async () => {
    const reads = new SameTickReads<string>();
    const seen: string[] = [];
    const a = reads.read('a', async () => (seen.push('a'), 'A'));
    const b = reads.read('b', async () => (seen.push('b'), 'B'));
    await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('hands a failure to every sharer and runs again for the next caller', async () => {
    const reads = new SameTickReads<string>();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('connection lost');
    };
    const a = reads.read('k', failing);
    const b = reads.read('k', failing);
    await expect(a).rejects.toThrow('connection lost');
    await expect(b).rejects.toThrow('connection lost');
    await expect(reads.read('k', async () => 'fine')).resolves.toBe('fine');
    expect(calls).toBe(1);
  });

  it('turns a run that throws synchronously into a rejection', async () => {
    const reads = new SameTickReads<string>();
    const a = reads.read('k', () => {
      throw new Error('bad parameters');
    });
    await expect(a).rejects.toThrow('bad parameters');
  });
});
