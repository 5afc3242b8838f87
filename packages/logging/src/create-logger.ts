import { hostname } from 'node:os';
import winston from 'winston';
import type { LogSink } from '@harbor/config';
import TransportStream from 'winston-transport';
import { levels } from './levels';
import { messageText } from './message-text';
import { SyslogTransport } from './syslog.transport';

export type Logger = winston.Logger;

/**
 * One logger per service: events by syslog to the log collector, which files
 * them under `<service>.log`, and lines on stdout (for the supervisor or
 * compose). When syslog is configured, stdout only carries warnings and
 * above: the collector files every line anyway, and a `write(2)` per access
 * line was a large part of a service's CPU per request. Without syslog,
 * stdout carries everything the level lets through. Syslog is UDP by default so a missing collector never
 * blocks or crashes a service; lines sent while it is down are lost, as with
 * any syslog sender (TCP keeps a bounded backlog and reconnects).
 */
export function createLogger(sink: LogSink): Logger {
  const transports: winston.transport[] = [];
  if (sink.stdout) {
    transports.push(
      new winston.transports.Console({
        ...(sink.syslog ? { level: stdoutLevelBesideSyslog } : {}),
        format: winston.format.combine(winston.format.timestamp(), stdoutLine(sink.service)),
      }),
    );
  }
  if (sink.syslog) {
    transports.push(
      new SyslogTransport({
        host: sink.syslog.host,
        port: sink.syslog.port,
        protocol: sink.syslog.protocol,
        appName: sink.service,
        hostname: hostname(),
      }),
    );
  }
  // winston warns on every event written to no transport at all.
  if (transports.length === 0) transports.push(new DiscardTransport());
  return winston.createLogger({
    level: sink.level,
    levels,
    // `logger.error(err)` keeps the stack, which lands in the metadata JSON.
    format: winston.format.errors({ stack: true }),
    defaultMeta: { service: sink.service },
    transports,
    exitOnError: false,
  });
}

/** The least severe level stdout still carries when the collector gets everything. */
export const stdoutLevelBesideSyslog = 'warning';

/** `2026-11-23T16:00:00.000Z info [core] message {"requestId":"…"}` */
function stdoutLine(service: string): winston.Logform.Format {
  return winston.format.printf((info) => {
    const { timestamp, ...rest } = info as Record<string, unknown>;
    return `${String(timestamp)} ${String(info.level)} [${service}] ${messageText(rest)}`;
  });
}

/** A logger that drops everything: for unit tests that do not look at logs. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, levels });
}

/** Where events go when a sink has neither stdout nor syslog (tests, quiet tools). */
class DiscardTransport extends TransportStream {
  override log(_info: unknown, callback: () => void): void {
    callback();
  }
}
