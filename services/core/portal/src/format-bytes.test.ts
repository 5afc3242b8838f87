import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [3 * 1024 ** 4, '3.00 TiB'],
    [-1, '-'],
    [Number.NaN, '-'],
  ])('shows %p as %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
