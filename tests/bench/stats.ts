/**
 * The bench's arithmetic, kept pure so tests/bench/stats.test.ts can pin it:
 * percentiles, medians, rates and the ours/theirs verdicts.
 */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const MiB = 1024 * 1024;

/** Throughput in MB/s (10^6 bytes per second, as the targets are written). */
export function megabytesPerSecond(bytes: number, seconds: number): number {
  return seconds > 0 ? bytes / 1e6 / seconds : Number.NaN;
}

/** How a figure is judged: higher is better (rates) or lower is better (latencies, seconds). */
export type Direction = 'higher' | 'lower';

export interface Figure {
  /** Stable key, e.g. `push.monolithic`. */
  key: string;
  label: string;
  unit: string;
  direction: Direction;
  ours: number;
  /** Null for figures only ours has (token issue rate). */
  theirs: number | null;
  /** The minimum for ours/theirs (already inverted for lower-is-better figures), if it sets one. */
  target: number | null;
  note?: string;
}

/**
 * ours/theirs, oriented so that above 1 always means "ours is better": for
 * latencies and durations it is theirs/ours.
 */
export function advantage(figure: Pick<Figure, 'ours' | 'theirs' | 'direction'>): number | null {
  const { ours, theirs } = figure;
  if (theirs === null || !Number.isFinite(ours) || !Number.isFinite(theirs) || ours <= 0 || theirs <= 0) return null;
  return figure.direction === 'higher' ? ours / theirs : theirs / ours;
}

export type Verdict = 'meets' | 'short' | 'no target' | 'n/a';

export function verdict(figure: Figure): Verdict {
  const ratio = advantage(figure);
  if (ratio === null) return 'n/a';
  if (figure.target === null) return 'no target';
  return ratio >= figure.target ? 'meets' : 'short';
}
