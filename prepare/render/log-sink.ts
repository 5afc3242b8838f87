import type { LogSink } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';

/**
 * Every service logs by syslog to the collector, under its own name, and its
 * warnings to stdout. TCP, because the logger then writes each event-loop
 * turn's lines in one write instead of one datagram per line (its backlog is
 * bounded and it reconnects, so a missing collector still never blocks a service).
 */
export function logSinkFor(service: string, cfg: HarborCfg, topology: Topology): LogSink {
  return {
    service,
    level: cfg.log_level,
    syslog: { host: topology.logCollector.host, port: topology.logCollector.port, protocol: 'tcp' },
    stdout: true,
  };
}
