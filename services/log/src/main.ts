import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { configPathFromArgs, loadServiceConfig, LogConfig, logConfigSchema } from '@harbor/config';
import { createLogger, Logger } from '@harbor/logging';
import { appFileStem } from './app-file-name';
import { Collector } from './collector';
import { LogDirectory } from './log-directory';
import { StoreTransport } from './store.transport';
import { listenTcp } from './tcp.listener';
import { listenUdp } from './udp.listener';

export interface RunningCollector {
  udpPort: number;
  tcpPort: number;
  logger: Logger;
  collector: Collector;
  /** Stops listening, writes everything queued, closes the files. */
  stop(): Promise<void>;
}

/**
 * Assembles the log collector from its config: the log directory with its
 * rotation policy, the collector, a UDP and a TCP listener on the same host.
 * Port 0 picks a free port; the ports actually bound are returned.
 */
export async function start(config: LogConfig): Promise<RunningCollector> {
  // Fail at start, not at the first message, when the directory cannot be made.
  await mkdir(config.logDirectory, { recursive: true });
  const store = new LogDirectory({
    directory: config.logDirectory,
    rotation: { maxBytes: config.rotateSizeBytes, keep: config.rotateCount },
    // Failures of the own log file go to stdout only (writing them to a file that fails would loop).
    onError: (err, path) => process.stderr.write(`log collector: cannot write ${path}: ${err.message}\n`),
  });
  // The collector never sends its own log to itself by syslog: stdout plus its file.
  const logger = createLogger({ ...config.log, syslog: null });
  logger.add(new StoreTransport(store, appFileStem(config.log.service), hostname()));

  const collector = new Collector(store);
  const udp = await listenUdp(collector, config.listen.host, config.listen.udpPort);
  let tcp;
  try {
    tcp = await listenTcp(collector, config.listen.host, config.listen.tcpPort);
  } catch (err) {
    await udp.close();
    throw err;
  }
  logger.info(`listening for syslog on ${config.listen.host} udp/${udp.port} tcp/${tcp.port}, writing ${config.logDirectory}`);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all([udp.close(), tcp.close()]);
      logger.info(`stopped after ${collector.stats.received} messages (${collector.stats.dropped} dropped, ${collector.stats.truncated} truncated)`);
      await store.close();
      logger.close();
    })();
    return stopping;
  };
  return { udpPort: udp.port, tcpPort: tcp.port, logger, collector, stop };
}

async function runFromCommandLine(): Promise<void> {
  const config = loadServiceConfig(logConfigSchema, configPathFromArgs(process.argv));
  const running = await start(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info(`received ${signal}, stopping`);
    running
      .stop()
      .catch((err: unknown) => process.stderr.write(`error while stopping: ${String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  runFromCommandLine().catch((err: unknown) => {
    process.stderr.write(`log collector failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
