import { parseContentRange, parseRangeHeader, uploadRange } from './byte-ranges';

describe('Range requests on blobs', () => {
  it('reads first-last, open-ended and suffix ranges', () => {
    expect(parseRangeHeader('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRangeHeader('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRangeHeader('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRangeHeader('bytes=95-500', 100)).toEqual({ start: 95, end: 99 });
  });

  it('calls ranges past the end or backwards unsatisfiable', () => {
    expect(parseRangeHeader('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=10-5', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRangeHeader('bytes=0-0', 0)).toBe('unsatisfiable');
  });

  it('ignores what it does not serve: multiple ranges, other units, garbage', () => {
    for (const h of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'nonsense']) expect(parseRangeHeader(h, 100)).toBeNull();
  });
});

describe('Content-Range of upload chunks', () => {
  it('reads the OCI form and tolerates the HTTP form', () => {
    expect(parseContentRange('0-99')).toEqual({ start: 0, end: 99 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199 });
  });

  it('refuses backwards and malformed ranges', () => {
    for (const h of ['9-0', 'a-b', '-5', '5-', '']) expect(parseContentRange(h)).toBeNull();
  });

  it('writes the upload progress header', () => {
    expect(uploadRange(0)).toBe('0-0');
    expect(uploadRange(100)).toBe('0-99');
  });
});
