import { parseRfc3164 } from './rfc3164.parser';

const now = new Date(2026, 10, 23, 16, 30, 0); // local time, 23 Nov 2026

describe('RFC 3164 parser', () => {
  it('reads the classic form with host, tag and pid', () => {
    const m = parseRfc3164('<34>Oct 11 22:14:15 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8', now);
    expect(m).toMatchObject({ facility: 4, severity: 2, hostname: 'mymachine', appName: 'su', procId: '230' });
    expect(m.message).toBe("'su root' failed for lonvick on /dev/pts/8");
    expect(m.timestamp).toEqual(new Date(2026, 9, 11, 22, 14, 15));
  });

  it('reads what logger --rfc3164 sends over the network', () => {
    const m = parseRfc3164('<13>Nov 23 16:21:33 vm x: hello3164', now);
    expect(m).toMatchObject({ hostname: 'vm', appName: 'x', procId: null, message: 'hello3164', severity: 5, facility: 1 });
  });

  it('reads the local form without hostname (logger to /dev/log)', () => {
    const m = parseRfc3164('<13>Nov 23 16:21:33 x[42]: hello', now);
    expect(m).toMatchObject({ hostname: null, appName: 'x', procId: '42', message: 'hello' });
  });

  it('reads a space-padded single-digit day', () => {
    const m = parseRfc3164('<13>Feb  5 17:32:18 10.0.0.99 sshd[22]: Accepted publickey', now);
    expect(m.timestamp).toEqual(new Date(2026, 1, 5, 17, 32, 18));
    expect(m).toMatchObject({ hostname: '10.0.0.99', appName: 'sshd' });
  });

  it('reads rsyslog forward format with an RFC 3339 timestamp', () => {
    const m = parseRfc3164('<30>2026-11-23T17:00:01.123456+01:00 web1 systemd[1]: Started Session 5.', now);
    expect(m.timestamp?.toISOString()).toBe('2026-11-23T16:00:01.123Z');
    expect(m).toMatchObject({ hostname: 'web1', appName: 'systemd', procId: '1', message: 'Started Session 5.', severity: 6 });
  });

  it('reads a timestamp with year and milliseconds', () => {
    const m = parseRfc3164('<13>Nov 23 2025 16:21:33.250 host app: x', now);
    expect(m.timestamp).toEqual(new Date(2025, 10, 23, 16, 21, 33, 250));
    expect(m.appName).toBe('app');
  });

  it('puts a December line read in January into last year', () => {
    const january = new Date(2027, 0, 1, 0, 0, 5);
    expect(parseRfc3164('<13>Dec 31 23:59:59 h app: x', january).timestamp).toEqual(new Date(2026, 11, 31, 23, 59, 59));
  });

  it('keeps tags with slashes and dashes (postfix, systemd units)', () => {
    expect(parseRfc3164('<22>Nov 23 16:00:00 mx postfix/smtpd[1234]: connect from x', now).appName).toBe('postfix/smtpd');
    expect(parseRfc3164('<38>Nov 23 16:00:00 h systemd-logind[3]: New session', now).appName).toBe('systemd-logind');
  });

  it('keeps colons inside the message', () => {
    expect(parseRfc3164('<13>Nov 23 16:00:00 h app: key: value: more', now).message).toBe('key: value: more');
  });

  it('reads an IPv6 host', () => {
    expect(parseRfc3164('<13>Nov 23 16:00:00 fe80::1 app: m', now)).toMatchObject({ hostname: 'fe80::1', appName: 'app', message: 'm' });
  });

  it('files a timestamped message without tag under its host and no app', () => {
    const m = parseRfc3164('<13>Nov 23 16:00:00 router link down on port 3', now);
    expect(m).toMatchObject({ hostname: 'router', appName: null, message: 'link down on port 3' });
  });

  it('reads a tag without timestamp', () => {
    expect(parseRfc3164('<13>app: hi', now)).toMatchObject({ appName: 'app', message: 'hi', timestamp: null });
  });

  it('keeps plain text after a PRI as the message', () => {
    expect(parseRfc3164('<13>just some words', now)).toMatchObject({ appName: null, hostname: null, message: 'just some words' });
  });

  it('uses no timestamp for an impossible date but keeps the rest', () => {
    const m = parseRfc3164('<13>Feb 31 10:00:00 h app: x', now);
    expect(m.timestamp).toBeNull();
    expect(m).toMatchObject({ appName: 'app', message: 'x' });
  });

  it.each([
    ['no PRI', 'hello there'],
    ['a PRI above 191', '<999>Nov 23 16:00:00 h app: x'],
    ['an unterminated PRI', '<13 hello'],
    ['a negative PRI', '<-1>x'],
  ])('treats text with %s as a user.notice message, whole (RFC 3164 4.3.3)', (_what, text) => {
    const m = parseRfc3164(text, now);
    expect(m).toMatchObject({ facility: 1, severity: 5, appName: null, message: text });
  });
});
