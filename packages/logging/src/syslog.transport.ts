import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { createConnection, isIPv6, Socket } from 'node:net';
import TransportStream from 'winston-transport';
import { severityOf } from './levels';
import { messageText } from './message-text';

export interface SyslogTransportOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  /** APP-NAME: the collector files the line under `<appName>.log`. */
  appName: string;
  hostname: string;
  procId?: string;
  /** Syslog facility number; local0 (16) by default. */
  facility?: number;
  /** Longer messages are cut (a UDP datagram holds at most 65507 bytes). */
  maxMessageBytes?: number;
  /** TCP only: bytes kept while the collector is unreachable; older lines are dropped beyond it. */
  maxQueuedBytes?: number;
  /**
   * TCP only: how long lines gather before one write carries them all, in ms
   * (10 by default; 0 writes at the end of each event-loop turn). Closing the
   * transport writes what is waiting at once.
   */
  flushDelayMs?: number;
  level?: string;
}

const LEVEL = Symbol.for('level');
const minBackoffMs = 250;
const maxBackoffMs = 30_000;
const defaultFlushDelayMs = 10;

/**
 * Sends each event to the log collector as one RFC 5424 message:
 * `<PRI>1 TIMESTAMP HOST APP-NAME PROCID - - MSG`, MSG being the plain line
 * (message and metadata, no level — the PRI carries the severity).
 *
 * Written in place of winston-syslog, whose formatter (glossy) prints UTC
 * clock fields with the local zone offset and drops leading zeros of the
 * milliseconds (10:00:00.005Z came out as 10:00:00.05+01:00), whose TCP mode
 * queues without bound and reconnects forever (even after close) while the
 * collector is down, and which splits big UDP messages into fragments the
 * collector can only file as garbage.
 *
 * Never blocks or throws into the service: UDP is fire and forget; TCP frames
 * by octet counting (RFC 6587, so multi-line messages stay one message),
 * queues a bounded backlog while disconnected and reconnects with backoff.
 * Sockets are unref'd, so a logger never keeps a process alive.
 */
export class SyslogTransport extends TransportStream {
  private udp: UdpSocket | null = null;
  private tcp: Socket | null = null;
  private connected = false;
  /** TCP frames not yet written: this turn's lines, or the backlog while disconnected. */
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoffMs = minBackoffMs;
  private stopped = false;
  /** The header fields after the timestamp never change: built once, not per line. */
  private readonly headerTail: string;
  /** Lines that could not be sent (queue full); kept for diagnostics. */
  dropped = 0;
  /** TCP socket writes so far; each carries every line gathered since the last. Kept for diagnostics. */
  tcpWrites = 0;

  constructor(private readonly options: SyslogTransportOptions) {
    super({ level: options.level });
    this.headerTail = headerTail(options.hostname, options.appName, options.procId ?? String(process.pid));
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    // Nobody listens for 'logged' in the services; a timer per line is not free.
    if (this.listenerCount('logged') > 0) setImmediate(() => this.emit('logged', info));
    try {
      const level = String(info[LEVEL] ?? info.level);
      const frame = formatWithTail(
        this.options.facility ?? 16,
        severityOf(level),
        new Date(),
        this.headerTail,
        messageText(info as Record<string, unknown>),
        this.options.maxMessageBytes ?? 60_000,
      );
      if (this.options.protocol === 'tcp') this.sendTcp(frame);
      else this.sendUdp(frame);
    } catch {
      this.dropped += 1;
    }
    callback();
  }

  /** Writes what this turn queued (so a line logged just before shutdown still leaves), then closes. */
  override close(): void {
    if (this.connected) this.flush();
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.tcp?.end();
    this.tcp = null;
    this.udp?.close();
    this.udp = null;
  }

  private sendUdp(frame: Buffer): void {
    if (this.stopped) return;
    if (!this.udp) {
      this.udp = createSocket(isIPv6(this.options.host) ? 'udp6' : 'udp4');
      // ICMP errors and DNS failures surface here; a lost log line is not worth a crash.
      this.udp.on('error', () => undefined);
      this.udp.unref();
    }
    this.udp.send(frame, this.options.port, this.options.host, (err) => {
      if (err) this.dropped += 1;
    });
  }

  /**
   * Lines gathered over a few milliseconds (at least one event-loop turn)
   * leave in one socket write: under load a busy service logs a line per
   * request, and one `write(2)` per line was a tenth of the proxy's CPU.
   * The frames are octet-counted, so the collector splits them again exactly.
   */
  private sendTcp(message: Buffer): void {
    if (this.stopped) return;
    this.enqueue(Buffer.concat([Buffer.from(`${message.length} `, 'latin1'), message]));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flush = () => {
      this.flushScheduled = false;
      this.flush();
    };
    const delay = this.options.flushDelayMs ?? defaultFlushDelayMs;
    if (delay > 0) setTimeout(flush, delay);
    else setImmediate(flush);
  }

  private flush(): void {
    if (this.queue.length === 0 || this.stopped) return;
    if (!this.connected || !this.tcp) {
      this.connect();
      return;
    }
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    // The collector is connected but not reading: drop rather than grow without bound.
    if (this.tcp.writableLength > this.maxQueuedBytes) {
      this.dropped += batch.length;
      return;
    }
    this.tcpWrites += 1;
    this.tcp.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
  }

  private get maxQueuedBytes(): number {
    return this.options.maxQueuedBytes ?? 1024 * 1024;
  }

  private enqueue(frame: Buffer): void {
    const limit = this.maxQueuedBytes;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    while (this.queuedBytes > limit && this.queue.length > 0) {
      this.queuedBytes -= this.queue.shift()!.length;
      this.dropped += 1;
    }
  }

  private connect(): void {
    if (this.tcp || this.retryTimer || this.stopped) return;
    const socket = createConnection({ host: this.options.host, port: this.options.port });
    this.tcp = socket;
    socket.unref();
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.backoffMs = minBackoffMs;
      this.flush();
    });
    socket.on('data', () => undefined); // the collector never answers; drain anything it sends
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.tcp === socket) this.tcp = null;
      this.connected = false;
      if (!this.stopped) this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.queue.length > 0) this.connect();
    }, this.backoffMs);
    this.retryTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, maxBackoffMs);
  }
}

export interface OutgoingMessage {
  facility: number;
  severity: number;
  timestamp: Date;
  hostname: string;
  appName: string;
  procId: string;
  message: string;
}

/** RFC 5424 header field: printable US-ASCII without spaces, at most `max` long, `-` when empty. */
function headerField(value: string, max: number): string {
  const cleaned = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return cleaned.length > 0 ? cleaned : '-';
}

/** ` HOST APP-NAME PROCID - - `: the header after the timestamp. */
function headerTail(hostname: string, appName: string, procId: string): string {
  return ` ${headerField(hostname, 255)} ${headerField(appName, 48)} ${headerField(procId, 128)} - - `;
}

/** One RFC 5424 message, MSG cut to `maxBytes` at a UTF-8 character boundary. */
export function formatRfc5424(m: OutgoingMessage, maxBytes: number): Buffer {
  return formatWithTail(m.facility, m.severity, m.timestamp, headerTail(m.hostname, m.appName, m.procId), m.message, maxBytes);
}

function formatWithTail(facility: number, severity: number, timestamp: Date, tail: string, message: string, maxBytes: number): Buffer {
  const pri = facility * 8 + Math.min(Math.max(severity, 0), 7);
  const head = Buffer.from(`<${pri}>1 ${timestamp.toISOString()}${tail}`, 'latin1');
  let body = Buffer.from(message, 'utf8');
  const room = Math.max(maxBytes - head.length, 0);
  if (body.length > room) {
    let cut = room;
    while (cut > 0 && (body[cut] & 0xc0) === 0x80) cut -= 1;
    body = body.subarray(0, cut);
  }
  return Buffer.concat([head, body]);
}
