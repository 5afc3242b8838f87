import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostname } from 'node:os';
import { Harness, startCollector } from './collector-harness';

const run = promisify(execFile);

/**
 * The real `logger` from util-linux, as an operator or a script would use it
 * against the collector.
 */
describe('collector receiving from util-linux logger', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startCollector();
  });
  afterAll(() => h.stop());

  const logger = (args: string[]) => run('logger', ['-n', '127.0.0.1', ...args]);
  const linePattern = (app: string, severity: string, text: string) =>
    new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z \\S+ ${app}(\\[\\d+\\])?: ${severity} ${text}$`);

  it('files an RFC 5424 message sent over UDP under x.log', async () => {
    await logger(['-P', String(h.collector.udpPort), '--rfc5424', '-t', 'x', 'hello udp 5424']);
    const line = await h.waitForLine('x.log', 'hello udp 5424');
    expect(line).toMatch(linePattern('x', 'notice', 'hello udp 5424'));
    expect(line).toContain(` ${hostname()} `);
    expect(line).not.toContain('timeQuality');
  });

  it('files an RFC 5424 message sent over TCP (newline framing)', async () => {
    await logger(['-T', '-P', String(h.collector.tcpPort), '--rfc5424', '-t', 'x', 'hello tcp 5424']);
    expect(await h.waitForLine('x.log', 'hello tcp 5424')).toMatch(linePattern('x', 'notice', 'hello tcp 5424'));
  });

  it('files an RFC 3164 message sent over UDP and over TCP', async () => {
    await logger(['-P', String(h.collector.udpPort), '--rfc3164', '-t', 'x', 'hello udp 3164']);
    await logger(['-T', '-P', String(h.collector.tcpPort), '--rfc3164', '-t', 'x', 'hello tcp 3164']);
    expect(await h.waitForLine('x.log', 'hello udp 3164')).toMatch(linePattern('x', 'notice', 'hello udp 3164'));
    expect(await h.waitForLine('x.log', 'hello tcp 3164')).toMatch(linePattern('x', 'notice', 'hello tcp 3164'));
  });

  it('files an octet-counted TCP message', async () => {
    await logger(['-T', '-P', String(h.collector.tcpPort), '--octet-count', '--rfc5424', '-t', 'x', 'hello octets']);
    expect(await h.waitForLine('x.log', 'hello octets')).toMatch(linePattern('x', 'notice', 'hello octets'));
  });

  it('keeps the pid, the priority, msgid and structured data logger was given', async () => {
    await logger([
      '-P', String(h.collector.udpPort), '--rfc5424', '-t', 'x', '-i', '-p', 'local3.err',
      '--msgid', 'ID9', '--sd-id', 'zoo@123', '--sd-param', 'tiger="hungry"', 'with extras',
    ]);
    const line = await h.waitForLine('x.log', 'with extras');
    expect(line).toMatch(/ x\[\d+\]: error msgid=ID9 \[zoo@123 tiger="hungry"\] with extras$/);
  });

  it('files each tag in its own file', async () => {
    await logger(['-P', String(h.collector.udpPort), '--rfc5424', '-t', 'other-app', 'elsewhere']);
    await h.waitForLine('other-app.log', 'elsewhere');
    expect(h.read('x.log')).not.toContain('elsewhere');
  });

  it('sends each line of piped input as its own message', async () => {
    const child = execFile('logger', ['-n', '127.0.0.1', '-P', String(h.collector.udpPort), '--rfc5424', '-t', 'piped']);
    child.stdin!.end('first piped\nsecond piped\n');
    await new Promise((resolve) => child.on('exit', resolve));
    await h.waitForLine('piped.log', 'second piped');
    expect(h.read('piped.log').trim().split('\n')).toHaveLength(2);
  });
});
