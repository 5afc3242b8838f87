/** A closed byte interval, as both HTTP `Range` and OCI `Content-Range` write them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A single `Range: bytes=…` request against a blob of `size` bytes:
 *   null          — no usable Range header (or several ranges): send everything;
 *   'unsatisfiable' — answer 416;
 *   a range       — answer 206 with it (end clamped to the blob).
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // malformed or multi-range: RFC 9110 lets us ignore it
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return { start, end };
}

/** An upload chunk's `Content-Range: <start>-<end>` (the `bytes ` prefix and `/total` tolerated); null when malformed. */
export function parseContentRange(header: string): ByteRange | null {
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  return { start, end };
}

/** The `Range` header of an upload holding `size` bytes (`0-0` when empty, as Distribution writes it). */
export function uploadRange(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}
