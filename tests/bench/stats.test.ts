import { parseProcStat } from './cpu';
import { parseAbOutput } from './ab';
import { formatNumber, markdownTable, textTable } from './format';
import { uploadUrl } from './registry-client';
import { advantage, Figure, median, megabytesPerSecond, percentile, verdict } from './stats';
import { parseWrkOutput } from './wrk';

const figure = (over: Partial<Figure>): Figure => ({
  key: 'k',
  label: 'a figure',
  unit: 'req/s',
  direction: 'higher',
  ours: 200,
  theirs: 100,
  target: 2,
  ...over,
});

describe('bench arithmetic', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 99)).toBeNaN();
    expect(() => percentile(samples, 101)).toThrow(RangeError);
  });

  it('takes the median of odd and even sample counts without reordering its input', () => {
    const samples = [3, 1, 2];
    expect(median(samples)).toBe(2);
    expect(samples).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reports MB/s in decimal megabytes', () => {
    expect(megabytesPerSecond(256 * 1024 * 1024, 2)).toBeCloseTo(134.2177, 3);
    expect(megabytesPerSecond(1, 0)).toBeNaN();
  });

  it('orients ratios so that above 1 means ours is better', () => {
    expect(advantage(figure({ ours: 300, theirs: 100 }))).toBe(3);
    expect(advantage(figure({ direction: 'lower', ours: 2, theirs: 5 }))).toBe(2.5);
    expect(advantage(figure({ theirs: null }))).toBeNull();
    expect(advantage(figure({ ours: Number.NaN }))).toBeNull();
  });

  it('judges a figure against its target', () => {
    expect(verdict(figure({ ours: 200, theirs: 100, target: 2 }))).toBe('meets');
    expect(verdict(figure({ ours: 199, theirs: 100, target: 2 }))).toBe('short');
    expect(verdict(figure({ target: null }))).toBe('no target');
    expect(verdict(figure({ theirs: null }))).toBe('n/a');
  });
});

describe('bench formatting', () => {
  it('prints three significant digits below 1000 and whole numbers above', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(4567.8)).toBe('4568');
    expect(formatNumber(null)).toBe('–');
  });

  it('writes one markdown row per figure with its ratio and verdict', () => {
    const table = markdownTable([figure({ label: 'manifest GET', ours: 300, theirs: 100 }), figure({ label: 'token', theirs: null, target: null })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| manifest GET | req/s | 300 | 100 | 3.00× | ≥ 2.0 | meets |');
    expect(lines[3]).toBe('| token | req/s | 200 | – | – | – | n/a |');
  });

  it('pads the terminal table into aligned columns', () => {
    const lines = textTable([figure({ label: 'x' }), figure({ label: 'a longer label' })]).split('\n');
    const ratioColumn = lines.map((l) => l.indexOf('2.00×')).filter((i) => i >= 0);
    expect(new Set(ratioColumn).size).toBe(1);
  });
});

describe('load generator output', () => {
  it('reads the line request.lua prints from wrk', () => {
    const out = 'Running 2s test\nBENCH_JSON {"requests":10,"durationUs":2000000,"bytes":1,"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0},"latencyUs":{"mean":1.5,"p50":1,"p90":2,"p99":3,"max":4}}\n';
    expect(parseWrkOutput(out).latencyUs.p99).toBe(3);
    expect(() => parseWrkOutput('Running 2s test\n')).toThrow(/no result line/);
  });

  it('reads ab summaries, failures and its percentile CSV', () => {
    const stdout = ['Complete requests:      500', 'Failed requests:        2', 'Non-2xx responses:      3', 'Total transferred:      1000 bytes', 'Time taken for tests:   2.500 seconds', 'Time per request:       4.000 [ms] (mean)'].join('\n');
    const csv = 'Percentage served,Time in ms\n50,3.5\n90,6\n99,12.25\n100,20\n';
    const parsed = parseAbOutput(stdout, csv);
    expect(parsed.requests).toBe(500);
    expect(parsed.durationUs).toBe(2_500_000);
    expect(parsed.errors.status).toBe(5);
    expect(parsed.latencyUs).toEqual({ mean: 4000, p50: 3500, p90: 6000, p99: 12250, max: 20000 });
  });
});

describe('upload locations', () => {
  it('resolves relative and absolute Locations and keeps their own query', () => {
    expect(uploadUrl('http://127.0.0.1:1', '/v2/a/blobs/uploads/u1', { digest: 'sha256:ab' })).toBe('http://127.0.0.1:1/v2/a/blobs/uploads/u1?digest=sha256%3Aab');
    expect(uploadUrl('http://127.0.0.1:1', 'http://127.0.0.1:2/v2/a/blobs/uploads/u2?_state=xyz', { digest: 'd' })).toBe('http://127.0.0.1:2/v2/a/blobs/uploads/u2?_state=xyz&digest=d');
    expect(() => uploadUrl('http://127.0.0.1:1', undefined)).toThrow(/Location/);
  });
});

describe('CPU accounting', () => {
  it('adds utime and stime from a /proc stat line whose command has spaces and parentheses', () => {
    const line = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 123 456 789';
    expect(parseProcStat(line)).toBe(3.25);
  });
});
