import { escapeText, formatLogLine } from './log-line.format';
import { SyslogMessage } from './syslog-message';

const receipt = { receivedAt: new Date('2026-11-23T16:00:00.000Z'), peer: '10.0.0.5' };

function message(overrides: Partial<SyslogMessage> = {}): SyslogMessage {
  return {
    facility: 1,
    severity: 6,
    timestamp: new Date('2026-11-23T15:59:59.123Z'),
    hostname: 'vm',
    appName: 'x',
    procId: '42',
    msgId: null,
    structuredData: [],
    message: 'hello',
    ...overrides,
  };
}

describe('log line format', () => {
  it('writes timestamp, host, app[procid], severity and message on one line', () => {
    expect(formatLogLine(message(), 'x', receipt)).toBe('2026-11-23T15:59:59.123Z vm x[42]: info hello\n');
  });

  it('leaves out the brackets without procid and uses receive time and peer when absent', () => {
    expect(formatLogLine(message({ timestamp: null, hostname: null, procId: null, severity: 3 }), 'x', receipt)).toBe(
      '2026-11-23T16:00:00.000Z 10.0.0.5 x: error hello\n',
    );
  });

  it('escapes embedded newlines so a message cannot forge a line', () => {
    const line = formatLogLine(message({ message: 'one\n2026-01-01T00:00:00.000Z vm core: info forged\r\n' }), 'x', receipt);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('one\\n2026-01-01T00:00:00.000Z vm core: info forged\\r\\n');
  });

  it('escapes control characters and Unicode line separators', () => {
    expect(escapeText('a\tb\x1b[31mc\x7f\u2028d\u0085')).toBe('a\\tb\\x1b[31mc\\x7f\\u2028d\\x85');
  });

  it('keeps header fields free of spaces and newlines', () => {
    const line = formatLogLine(message({ hostname: 'evil host\nx', procId: '1 2' }), 'x', receipt);
    expect(line).toBe('2026-11-23T15:59:59.123Z evil_host\\nx x[1_2]: info hello\n');
  });

  it('shows msgid and structured data before the message, leaving out timeQuality', () => {
    const line = formatLogLine(
      message({
        msgId: 'ID47',
        structuredData: [
          { id: 'timeQuality', params: [['tzKnown', '1']] },
          { id: 'zoo@123', params: [['tiger', 'hungry']] },
        ],
      }),
      'x',
      receipt,
    );
    expect(line).toBe('2026-11-23T15:59:59.123Z vm x[42]: info msgid=ID47 [zoo@123 tiger="hungry"] hello\n');
  });
});
