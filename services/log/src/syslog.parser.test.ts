import { randomBytes } from 'node:crypto';
import { parseSyslog } from './syslog.parser';

describe('syslog parser (format detection)', () => {
  it('takes <PRI>1 messages as RFC 5424', () => {
    expect(parseSyslog(Buffer.from('<13>1 - h app 7 - - x'))).toMatchObject({ appName: 'app', procId: '7' });
  });

  it('falls back to RFC 3164 for everything else', () => {
    expect(parseSyslog(Buffer.from('<13>Nov 23 16:21:33 vm x: hi'))).toMatchObject({ appName: 'x', message: 'hi' });
  });

  it('strips the UTF-8 BOM of an RFC 5424 MSG given as bytes', () => {
    const raw = Buffer.concat([Buffer.from('<13>1 - h app - - - '), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('grüße', 'utf8')]);
    expect(parseSyslog(raw).message).toBe('grüße');
  });

  it('replaces bytes that are not UTF-8 instead of failing', () => {
    const raw = Buffer.concat([Buffer.from('<13>1 - h app - - - bad '), Buffer.from([0xff, 0xfe, 0xc3])]);
    expect(parseSyslog(raw).message).toBe('bad \uFFFD\uFFFD\uFFFD');
  });

  it.each([
    ['empty', ''],
    ['only a PRI', '<13>'],
    ['NULs', '\0\0\0'],
    ['a PRI and a version', '<13>1'],
    ['an open SD bracket', '<13>1 - h a - - ['],
    ['deep brackets', `<13>1 - h a - - ${'['.repeat(10000)}`],
    ['many backslashes in SD', `<13>1 - h a - - [x a="${'\\'.repeat(10001)}`],
    ['a huge PRI', `<${'9'.repeat(1000)}>x`],
  ])('survives %s input', (_what, text) => {
    const m = parseSyslog(Buffer.from(text));
    expect(typeof m.message).toBe('string');
    expect(m.severity).toBeGreaterThanOrEqual(0);
    expect(m.severity).toBeLessThanOrEqual(7);
  });

  it('never throws on random bytes and stays fast', () => {
    const started = Date.now();
    for (let i = 0; i < 2000; i += 1) {
      const prefix = ['', '<13>', '<13>1 ', '<13>1 - h a - - [', '<13>Nov 23 16:00:00 '][i % 5];
      const m = parseSyslog(Buffer.concat([Buffer.from(prefix), randomBytes(i % 300)]));
      expect(typeof m.message).toBe('string');
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('parses a 64 KiB line of pathological structured data quickly', () => {
    const text = `<13>1 - h a - - ${'[x a="\\]'.repeat(8000)}`;
    const started = Date.now();
    parseSyslog(Buffer.from(text));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
