import type { LogSink } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';

/** Every service logs to stdout and, by UDP syslog, to the collector, under its own name. */
export function logSinkFor(service: string, cfg: HarborCfg, topology: Topology): LogSink {
  return {
    service,
    level: cfg.log_level,
    syslog: { host: topology.logCollector.host, port: topology.logCollector.port, protocol: 'udp' },
    stdout: true,
  };
}
