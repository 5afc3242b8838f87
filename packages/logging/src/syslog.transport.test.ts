import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer, Server } from 'node:net';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from '@harbor/testkit';
import { createLogger } from './create-logger';
import { formatRfc5424, SyslogTransport } from './syslog.transport';

const at = new Date('2026-01-05T10:00:00.005Z');

describe('RFC 5424 formatting', () => {
  const base = { facility: 16, severity: 6, timestamp: at, hostname: 'vm', appName: 'core', procId: '42', message: 'hello' };

  it('writes PRI, version, UTC timestamp with milliseconds, host, app, pid and the plain message', () => {
    expect(formatRfc5424(base, 1000).toString()).toBe('<134>1 2026-01-05T10:00:00.005Z vm core 42 - - hello');
  });

  it('computes PRI from facility and severity', () => {
    expect(formatRfc5424({ ...base, facility: 1, severity: 3 }, 1000).toString()).toMatch(/^<11>1 /);
    expect(formatRfc5424({ ...base, facility: 23, severity: 7 }, 1000).toString()).toMatch(/^<191>1 /);
  });

  it('keeps header fields printable ASCII without spaces and within their limits', () => {
    const text = formatRfc5424({ ...base, hostname: 'my host', appName: 'a'.repeat(60), procId: '' }, 1000).toString();
    expect(text).toBe(`<134>1 2026-01-05T10:00:00.005Z my_host ${'a'.repeat(48)} - - - hello`);
  });

  it('cuts a long message at a UTF-8 character boundary', () => {
    const header = formatRfc5424({ ...base, message: '' }, 1000).length;
    const cut = formatRfc5424({ ...base, message: 'ééééé' }, header + 5);
    expect(cut.toString('utf8')).toMatch(/ - - éé$/);
    expect(cut.length).toBe(header + 4);
  });
});

describe('syslog transport', () => {
  it('sends one RFC 5424 datagram per event over UDP, APP-NAME the service', async () => {
    const received: string[] = [];
    const server: UdpSocket = createSocket('udp4');
    server.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    const logger = createLogger({ service: 'registry', level: 'info', stdout: false, syslog: { host: '127.0.0.1', port: server.address().port, protocol: 'udp' } });
    logger.info('blob stored', { digest: 'sha256:abc' });
    logger.warn('slow');
    await waitFor('two datagrams', () => received.length === 2);
    expect(received[0]).toMatch(
      new RegExp(`^<134>1 \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z \\S+ registry ${process.pid} - - blob stored \\{"digest":"sha256:abc"\\}$`),
    );
    expect(received[1]).toMatch(/^<132>1 .* registry \d+ - - slow$/);
    logger.close();
    server.close();
  });

  it('frames TCP messages by octet count, so a multi-line message stays one message', async () => {
    const chunks: Buffer[] = [];
    const server = await tcpServer((c) => c.on('data', (d: Buffer) => chunks.push(d)));
    const logger = createLogger({ service: 'core', level: 'info', stdout: false, syslog: { host: '127.0.0.1', port: port(server), protocol: 'tcp' } });
    logger.error('line one\nline two');
    await waitFor('a frame', () => Buffer.concat(chunks).includes('line two'));
    const data = Buffer.concat(chunks).toString();
    const [, length, rest] = /^(\d+) ([\s\S]*)$/.exec(data)!;
    expect(Buffer.byteLength(rest)).toBe(Number(length));
    expect(rest).toMatch(/^<131>1 .* core \d+ - - line one\nline two$/);
    logger.close();
    await closeServer(server);
  });

  it('writes the TCP lines of one event-loop turn in one socket write, every line in order', async () => {
    const chunks: Buffer[] = [];
    const server = await tcpServer((c) => c.on('data', (d: Buffer) => chunks.push(d)));
    const transport = new SyslogTransport({ host: '127.0.0.1', port: port(server), protocol: 'tcp', appName: 'svc', hostname: 'h', flushDelayMs: 0 });
    const send = (message: string) => transport.log({ level: 'info', message, [Symbol.for('level')]: 'info' }, () => undefined);
    send('hello');
    await waitFor('the first line', () => Buffer.concat(chunks).includes('hello'));
    const writesBefore = transport.tcpWrites;
    for (let i = 0; i < 500; i += 1) send(`turn one ${i}`);
    await waitFor('the turn', () => Buffer.concat(chunks).includes('turn one 499'));
    expect(transport.tcpWrites - writesBefore).toBe(1);
    for (let i = 0; i < 3; i += 1) {
      send(`turn two ${i}`);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor('the later turns', () => Buffer.concat(chunks).includes('turn two 2'));
    expect(transport.tcpWrites - writesBefore).toBe(4);
    expect(messagesOf(Buffer.concat(chunks))).toEqual([
      'hello',
      ...Array.from({ length: 500 }, (_, i) => `turn one ${i}`),
      ...Array.from({ length: 3 }, (_, i) => `turn two ${i}`),
    ]);
    expect(transport.dropped).toBe(0);
    transport.close();
    await closeServer(server);
  });

  it('gathers the lines of several turns within the flush delay into one write', async () => {
    const chunks: Buffer[] = [];
    const server = await tcpServer((c) => c.on('data', (d: Buffer) => chunks.push(d)));
    const transport = new SyslogTransport({ host: '127.0.0.1', port: port(server), protocol: 'tcp', appName: 'svc', hostname: 'h', flushDelayMs: 1000 });
    const send = (message: string) => transport.log({ level: 'info', message, [Symbol.for('level')]: 'info' }, () => undefined);
    send('hello');
    await waitFor('the first line', () => Buffer.concat(chunks).includes('hello'));
    const writesBefore = transport.tcpWrites;
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      send(`gathered ${i}`);
      await new Promise((r) => setImmediate(r));
    }
    expect(Date.now() - started).toBeLessThan(800); // all five inside the window (else the test proves nothing)
    await waitFor('the window', () => Buffer.concat(chunks).includes('gathered 4'));
    expect(transport.tcpWrites - writesBefore).toBe(1);
    expect(messagesOf(Buffer.concat(chunks))).toEqual(['hello', ...Array.from({ length: 5 }, (_, i) => `gathered ${i}`)]);
    transport.close();
    await closeServer(server);
  });

  it('sends the lines of the current turn when closed (shutdown), before ending the connection', async () => {
    const chunks: Buffer[] = [];
    let ended = false;
    const server = await tcpServer((c) => {
      c.on('data', (d: Buffer) => chunks.push(d));
      c.on('end', () => (ended = true));
    });
    const logger = createLogger({ service: 'core', level: 'info', stdout: false, syslog: { host: '127.0.0.1', port: port(server), protocol: 'tcp' } });
    logger.info('first');
    await waitFor('the connection', () => Buffer.concat(chunks).includes('first'));
    for (let i = 0; i < 20; i += 1) logger.info(`last words ${i}`);
    logger.close(); // same turn: nothing has been written yet
    await waitFor('the connection to end', () => ended);
    expect(messagesOf(Buffer.concat(chunks))).toEqual(['first', ...Array.from({ length: 20 }, (_, i) => `last words ${i}`)]);
    await closeServer(server);
  });

  it('does not throw or block when nothing listens, over UDP or TCP', async () => {
    const deadPort = await freePort();
    for (const protocol of ['udp', 'tcp'] as const) {
      const logger = createLogger({ service: 'svc', level: 'info', stdout: false, syslog: { host: '127.0.0.1', port: deadPort, protocol } });
      const started = Date.now();
      for (let i = 0; i < 5000; i += 1) logger.info(`nobody hears ${i}`);
      expect(Date.now() - started).toBeLessThan(3000);
      await new Promise((r) => setTimeout(r, 100));
      logger.close();
    }
  });

  it('keeps a bounded TCP backlog while the collector is down and delivers it once it is up', async () => {
    const collectorPort = await freePort();
    const transport = new SyslogTransport({ host: '127.0.0.1', port: collectorPort, protocol: 'tcp', appName: 'svc', hostname: 'h', maxQueuedBytes: 4096 });
    const send = (message: string) => transport.log({ level: 'info', message, [Symbol.for('level')]: 'info' }, () => undefined);
    for (let i = 0; i < 1000; i += 1) send(`queued ${i}`);
    expect(transport.dropped).toBeGreaterThan(900); // 4 KiB holds the newest few dozen

    const chunks: Buffer[] = [];
    const server = await tcpServer((c) => c.on('data', (d: Buffer) => chunks.push(d)), collectorPort);
    send('after restart'); // a new line triggers the reconnect if the retry timer has not yet
    await waitFor('the backlog', () => Buffer.concat(chunks).includes('after restart'), { timeoutMs: 10_000 });
    const text = Buffer.concat(chunks).toString();
    expect(text).toContain('queued 999');
    expect(text).not.toContain('queued 0 ');
    transport.close();
    await closeServer(server);
  });

  it('never keeps a process alive, even with the collector down', async () => {
    const deadPort = await freePort();
    const script = `
      const swc = require('@swc/core');
      require.extensions['.ts'] = (m, file) => m._compile(swc.transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, file);
      const { createLogger } = require(${JSON.stringify(join(__dirname, 'index.ts'))});
      for (const protocol of ['udp', 'tcp']) {
        const logger = createLogger({ service: 'svc', level: 'info', stdout: false, syslog: { host: '127.0.0.1', port: ${deadPort}, protocol } });
        logger.info('into the void');
      }
    `;
    const started = Date.now();
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..', '..'), timeout: 15_000 }, (err) => (err ? reject(err) : resolve())),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/** The MSG of every octet-counted RFC 5424 frame in a TCP stream, in order. */
function messagesOf(stream: Buffer): string[] {
  const messages: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    const length = Number(stream.subarray(at, space).toString('latin1'));
    const frame = stream.subarray(space + 1, space + 1 + length).toString('utf8');
    messages.push(frame.replace(/^<\d+>1 \S+ \S+ \S+ \S+ - - /, ''));
    at = space + 1 + length;
  }
  return messages;
}

/** Open connections per server, so closing a server can drop them (net.Server has no closeAllConnections). */
const connections = new WeakMap<Server, Set<import('node:net').Socket>>();

function tcpServer(onConnection: (c: import('node:net').Socket) => void, port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const open = new Set<import('node:net').Socket>();
    const server = createServer((socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      onConnection(socket);
    });
    connections.set(server, open);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  for (const socket of connections.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
