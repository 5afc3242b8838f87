import type { LogConfig } from '@harbor/config';
import type { HarborCfg } from '../cfg.schema';
import type { Topology } from '../topology';

/** The collector listens on one port for both UDP and TCP syslog. */
export function renderLog(cfg: HarborCfg, topology: Topology): LogConfig {
  return {
    listen: { host: topology.bindHost, udpPort: cfg.log_port, tcpPort: cfg.log_port },
    logDirectory: topology.logDirectory,
    rotateCount: cfg.log_rotate_count,
    rotateSizeBytes: cfg.log_rotate_size,
    // The collector does not send its own lines to itself: a loop when it is the one failing.
    log: { service: 'log', level: cfg.log_level, syslog: null, stdout: true },
  };
}
