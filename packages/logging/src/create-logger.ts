import { hostname } from 'node:os';
import winston from 'winston';
import { Syslog } from 'winston-syslog';
import type { LogSink } from '@harbor/config';

export type Logger = winston.Logger;

/**
 * One logger per service: a line per event on stdout (for the supervisor or
 * compose) and the same event by syslog to the log collector, which files it
 * under `<service>.log`. Syslog is UDP by default so a missing collector never
 * blocks or crashes a service; lines sent while it is down are lost, as with
 * any syslog sender.
 */
export function createLogger(sink: LogSink): Logger {
  const transports: winston.transport[] = [];
  if (sink.stdout) {
    transports.push(
      new winston.transports.Console({
        format: winston.format.combine(winston.format.timestamp(), lineFormat(sink.service)),
      }),
    );
  }
  if (sink.syslog) {
    const syslog = new Syslog({
      host: sink.syslog.host,
      port: sink.syslog.port,
      protocol: sink.syslog.protocol === 'tcp' ? 'tcp4' : 'udp4',
      type: 'RFC5424',
      app_name: sink.service,
      localhost: hostname(),
      eol: '\n',
      format: lineFormat(sink.service, false),
    });
    // A collector that is down must not take the service with it.
    syslog.on('error', () => undefined);
    transports.push(syslog as unknown as winston.transport);
  }
  return winston.createLogger({
    level: sink.level,
    levels: winston.config.syslog.levels,
    defaultMeta: { service: sink.service },
    transports,
    exitOnError: false,
  });
}

/** `2026-11-23T16:00:00.000Z info [core] message {"requestId":"…"}` */
function lineFormat(service: string, withTimestamp = true): winston.Logform.Format {
  return winston.format.printf((info) => {
    const { level, message, timestamp, service: _service, ...meta } = info as Record<string, unknown>;
    const extra = Object.keys(meta).length > 0 ? ` ${safeJson(meta)}` : '';
    const head = withTimestamp ? `${String(timestamp)} ${String(level)} [${service}]` : `${String(level)}`;
    return `${head} ${String(message)}${extra}`;
  });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
  } catch {
    return '"[unserialisable]"';
  }
}

/** A logger that drops everything: for unit tests that do not look at logs. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, levels: winston.config.syslog.levels });
}
