import { formatStructuredData, parseRfc5424, parseStructuredData } from './rfc5424.parser';

describe('RFC 5424 parser', () => {
  it('reads every header field of the RFC example 1', () => {
    const m = parseRfc5424('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF\'su root\' failed for lonvick on /dev/pts/8');
    expect(m).toEqual({
      facility: 4,
      severity: 2,
      timestamp: new Date('2003-10-11T22:14:15.003Z'),
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: null,
      msgId: 'ID47',
      structuredData: [],
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('honours the timezone offset and microseconds (RFC example 2)', () => {
    const m = parseRfc5424('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.');
    expect(m?.timestamp?.toISOString()).toBe('2003-08-24T12:14:15.000Z');
    expect(m).toMatchObject({ facility: 20, severity: 5, hostname: '192.0.2.1', appName: 'myproc', procId: '8710' });
    expect(m?.message).toBe("%% It's time to make the do-nuts.");
  });

  it('reads structured data and a message after it (RFC example 3)', () => {
    const m = parseRfc5424(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
    );
    expect(m?.structuredData).toEqual([
      { id: 'exampleSDID@32473', params: [['iut', '3'], ['eventSource', 'Application'], ['eventID', '1011']] },
    ]);
    expect(m?.message).toBe('An application event log entry...');
  });

  it('reads several SD elements and no message (RFC example 4)', () => {
    const m = parseRfc5424(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
    );
    expect(m?.structuredData.map((e) => e.id)).toEqual(['exampleSDID@32473', 'examplePriority@32473']);
    expect(m?.message).toBe('');
  });

  it('unescapes \\" \\\\ and \\] inside SD values and keeps other backslashes', () => {
    const m = parseRfc5424('<13>1 - host app - - [x@1 a="say \\"hi\\"" b="c:\\\\dir" c="[a\\]" d="\\n"] msg');
    expect(m?.structuredData[0].params).toEqual([
      ['a', 'say "hi"'],
      ['b', 'c:\\dir'],
      ['c', '[a]'],
      ['d', '\\n'],
    ]);
    expect(m?.message).toBe('msg');
  });

  it('round-trips structured data through the formatter', () => {
    const text = '[x@1 a="say \\"hi\\"" b="c:\\\\dir" c="[a\\]"][y k="v"]';
    const parsed = parseStructuredData(text);
    expect(parsed?.rest).toBe('');
    expect(formatStructuredData(parsed!.elements)).toBe(text);
  });

  it('treats every NILVALUE field as absent', () => {
    const m = parseRfc5424('<14>1 - - - - - - hello');
    expect(m).toMatchObject({ timestamp: null, hostname: null, appName: null, procId: null, msgId: null, message: 'hello' });
  });

  it('parses what util-linux logger sends, timeQuality and all', () => {
    const m = parseRfc5424('<13>1 2026-11-23T16:21:33.557086+00:00 vm x 10627 - [timeQuality tzKnown="1" isSynced="0"] hello');
    expect(m).toMatchObject({ appName: 'x', procId: '10627', hostname: 'vm', message: 'hello' });
    expect(m?.structuredData[0].id).toBe('timeQuality');
  });

  it('strips a trailing newline a sender appended', () => {
    expect(parseRfc5424('<13>1 - h app - - - line\n')?.message).toBe('line');
    expect(parseRfc5424('<13>1 - h app - - - line\r\n')?.message).toBe('line');
  });

  it('keeps embedded newlines in the message (the file writer escapes them)', () => {
    expect(parseRfc5424('<13>1 - h app - - - one\ntwo')?.message).toBe('one\ntwo');
  });

  it('accepts a header that ends without SD or message', () => {
    expect(parseRfc5424('<13>1 - h app 1 ID')).toMatchObject({ appName: 'app', procId: '1', msgId: 'ID', message: '' });
  });

  it('keeps malformed structured data as message text instead of losing the line', () => {
    const m = parseRfc5424('<13>1 - h app - - [broken a="unterminated] still here');
    expect(m?.structuredData).toEqual([]);
    expect(m?.message).toBe('[broken a="unterminated] still here');
  });

  it.each([
    ['an invalid date', '2003-13-45T99:99:99Z'],
    ['a date without zone', '2003-10-11T22:14:15'],
    ['seven fraction digits', '2003-10-11T22:14:15.1234567Z'],
    ['free text', 'yesterday'],
  ])('uses no timestamp for %s', (_what, stamp) => {
    const m = parseRfc5424(`<13>1 ${stamp} h app - - - text`);
    expect(m?.timestamp).toBeNull();
    expect(m?.message).toBe('text');
  });

  it.each([
    ['no PRI', '1 - h app - - - x'],
    ['a PRI above 191', '<192>1 - h app - - - x'],
    ['a version other than 1', '<13>2 - h app - - - x'],
    ['a BSD timestamp', '<13>Nov 23 16:21:33 vm x: hello'],
    ['too few header fields', '<13>1 - h app'],
    ['an empty string', ''],
  ])('declines text with %s', (_what, text) => {
    expect(parseRfc5424(text)).toBeNull();
  });
});
