/** Frames longer than this are cut: a sender cannot make the collector buffer without bound. */
export const defaultMaxFrameBytes = 64 * 1024;
/** Digits of an octet count; more than this cannot be a length we would accept anyway. */
const maxLengthDigits = 10;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const NUL = 0x00;

/**
 * Splits a TCP syslog stream into messages (RFC 6587). Each frame is detected
 * on its own: a frame that starts with a digit and a `LEN SP` prefix is
 * octet-counted, anything else runs to the next LF (non-transparent framing,
 * what `logger -T` and rsyslog send by default). Frames may arrive split
 * across any number of chunks.
 *
 * A frame above `maxFrameBytes` yields its first `maxFrameBytes` bytes and the
 * rest of it is skipped, so memory per connection stays bounded.
 */
export class TcpFramer {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes still to drop from an octet-counted frame that was cut. */
  private skipBytes = 0;
  /** Dropping the rest of a newline-delimited frame that was cut. */
  private skipToNewline = false;

  constructor(
    private readonly onMessage: (frame: Buffer, truncated: boolean) => void,
    private readonly maxFrameBytes = defaultMaxFrameBytes,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let pos = 0;
    const buf = this.buffer;
    for (;;) {
      if (this.skipBytes > 0) {
        const n = Math.min(this.skipBytes, buf.length - pos);
        this.skipBytes -= n;
        pos += n;
        if (this.skipBytes > 0) break;
        continue;
      }
      if (this.skipToNewline) {
        const lf = buf.indexOf(LF, pos);
        if (lf < 0) {
          pos = buf.length;
          break;
        }
        this.skipToNewline = false;
        pos = lf + 1;
        continue;
      }
      // Blank lines and stray terminators between frames carry nothing.
      while (pos < buf.length && (buf[pos] === LF || buf[pos] === CR || buf[pos] === NUL || buf[pos] === SP)) pos += 1;
      if (pos >= buf.length) break;

      const counted = this.readOctetCount(buf, pos);
      if (counted === 'incomplete') break;
      if (counted) {
        const start = counted.start;
        if (counted.length > this.maxFrameBytes) {
          if (buf.length - start < this.maxFrameBytes) break;
          this.onMessage(buf.subarray(start, start + this.maxFrameBytes), true);
          this.skipBytes = counted.length - this.maxFrameBytes;
          pos = start + this.maxFrameBytes;
          continue;
        }
        if (buf.length - start < counted.length) break;
        this.onMessage(buf.subarray(start, start + counted.length), false);
        pos = start + counted.length;
        continue;
      }

      const lf = buf.indexOf(LF, pos);
      if (lf < 0 || lf - pos > this.maxFrameBytes) {
        if (lf < 0 && buf.length - pos <= this.maxFrameBytes) break;
        this.onMessage(buf.subarray(pos, pos + this.maxFrameBytes), true);
        pos += this.maxFrameBytes;
        this.skipToNewline = true;
        continue;
      }
      this.onMessage(stripCr(buf.subarray(pos, lf)), false);
      pos = lf + 1;
    }
    // Copy the remainder so the (possibly large) chunk it came from can be freed.
    this.buffer = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  /** The connection ended: a last frame without its LF still counts. */
  end(): void {
    if (this.skipBytes > 0 || this.skipToNewline) {
      this.buffer = Buffer.alloc(0);
      return;
    }
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    let start = 0;
    while (start < rest.length && (rest[start] === LF || rest[start] === CR || rest[start] === NUL || rest[start] === SP)) start += 1;
    if (start >= rest.length) return;
    const counted = this.readOctetCount(rest, start);
    if (counted && counted !== 'incomplete') {
      // The sender announced more than it sent: keep what did arrive, marked as cut.
      this.onMessage(rest.subarray(counted.start, counted.start + this.maxFrameBytes), true);
    } else {
      this.onMessage(stripCr(rest.subarray(start, start + this.maxFrameBytes)), false);
    }
  }

  /**
   * `LEN SP` at `pos`: the frame's length and where it starts; null when the
   * frame is not octet-counted; 'incomplete' when more bytes are needed to tell.
   */
  private readOctetCount(buf: Buffer, pos: number): { length: number; start: number } | null | 'incomplete' {
    if (buf[pos] < 0x31 || buf[pos] > 0x39) return null; // NONZERO-DIGIT
    let i = pos;
    while (i < buf.length && i - pos < maxLengthDigits && buf[i] >= 0x30 && buf[i] <= 0x39) i += 1;
    if (i >= buf.length) return 'incomplete';
    if (buf[i] !== SP) return null;
    return { length: Number(buf.subarray(pos, i).toString('latin1')), start: i + 1 };
  }
}

function stripCr(frame: Buffer): Buffer {
  return frame.length > 0 && frame[frame.length - 1] === CR ? frame.subarray(0, -1) : frame;
}
