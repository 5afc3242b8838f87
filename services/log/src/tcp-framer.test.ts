import { TcpFramer } from './tcp-framer';

function framesOf(chunks: Array<string | Buffer>, max?: number, end = true): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  const framer = new TcpFramer((frame, truncated) => out.push([frame.toString('latin1'), truncated]), max);
  for (const chunk of chunks) framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  if (end) framer.end();
  return out;
}

const texts = (frames: Array<[string, boolean]>) => frames.map(([t]) => t);

describe('TCP framer (RFC 6587)', () => {
  it('splits newline-delimited messages', () => {
    expect(texts(framesOf(['<13>1 a\n<13>1 b\n']))).toEqual(['<13>1 a', '<13>1 b']);
  });

  it('splits octet-counted messages, keeping newlines inside them', () => {
    expect(texts(framesOf(['9 <13>1 a\nb7 <13>1 c']))).toEqual(['<13>1 a\nb', '<13>1 c']);
  });

  it('detects the framing per message when a stream mixes both', () => {
    expect(texts(framesOf(['5 <13>x<13>y\n4 <1>z']))).toEqual(['<13>x', '<13>y', '<1>z']);
  });

  it('reassembles frames split across packets at every possible byte', () => {
    const stream = '11 <13>1 hello<13>1 world\n10 <13>1 end!';
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(texts(framesOf([stream.slice(0, cut), stream.slice(cut)]))).toEqual(['<13>1 hello', '<13>1 world', '<13>1 end!']);
    }
  });

  it('reassembles a stream delivered one byte at a time', () => {
    const stream = '8 <13>1 ab<13>1 cd\r\n';
    expect(texts(framesOf([...stream]))).toEqual(['<13>1 ab', '<13>1 cd']);
  });

  it('waits for the rest of an octet-counted frame', () => {
    expect(framesOf(['20 <13>1 short'], undefined, false)).toEqual([]);
  });

  it('counts octets in bytes, not characters', () => {
    const msg = Buffer.from('<13>1 grüße', 'utf8');
    const out: string[] = [];
    const framer = new TcpFramer((frame) => out.push(frame.toString('utf8')));
    framer.push(Buffer.concat([Buffer.from(`${msg.length} `), msg, Buffer.from('\n<13>next\n')]));
    expect(out).toEqual(['<13>1 grüße', '<13>next']);
  });

  it('emits a last message without newline when the connection ends', () => {
    expect(texts(framesOf(['<13>1 a\n<13>1 tail']))).toEqual(['<13>1 a', '<13>1 tail']);
  });

  it('ignores blank lines and NULs between frames', () => {
    expect(texts(framesOf(['\n\n<13>a\n\0\r\n<13>b\n']))).toEqual(['<13>a', '<13>b']);
  });

  it('treats digits not followed by a space as a newline-delimited message', () => {
    expect(texts(framesOf(['123abc\n']))).toEqual(['123abc']);
  });

  it('cuts an oversized octet-counted frame and skips the rest of it', () => {
    const big = `<13>${'x'.repeat(100)}`;
    const frames = framesOf([`${big.length} ${big.slice(0, 30)}`, big.slice(30), '5 <1>ok'], 20);
    expect(frames).toEqual([
      [big.slice(0, 20), true],
      ['<1>ok', false],
    ]);
  });

  it('cuts an oversized newline-delimited frame and skips to its newline', () => {
    const frames = framesOf(['<13>', 'y'.repeat(50), 'y'.repeat(50), '\n<13>next\n'], 20);
    expect(frames).toEqual([
      [`<13>${'y'.repeat(16)}`, true],
      ['<13>next', false],
    ]);
  });

  it('never holds more than one frame limit in memory for an endless line', () => {
    const framer = new TcpFramer(() => undefined, 1024);
    for (let i = 0; i < 1000; i += 1) framer.push(Buffer.alloc(4096, 0x41));
    expect((framer as unknown as { buffer: Buffer }).buffer.length).toBeLessThanOrEqual(1024);
  });

  it('handles a declared length of ten digits without waiting for it', () => {
    const frames = framesOf(['9999999999 <13>abc'], 64, false);
    expect(frames).toEqual([]);
  });

  it('keeps the part of an octet-counted frame that arrived before the connection ended, marked as cut', () => {
    expect(framesOf(['9999999999 <13>abc'], 64)).toEqual([['<13>abc', true]]);
  });
});
