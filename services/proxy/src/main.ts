import { configPathFromArgs, loadServiceConfig, proxyConfigSchema, readSecret, type ProxyConfig } from '@harbor/config';
import { listen, onShutdown } from '@harbor/http';
import { createLogger, type Logger } from '@harbor/logging';
import { createProxyServer } from './proxy-server';

export interface RunningProxy {
  port: number;
  stop(): Promise<void>;
}

/** How long `stop` lets in-flight transfers finish before cutting them. */
const drainMs = 10_000;

/** Assembles the proxy from its config and starts listening (port 0 picks a free port). */
export async function start(config: ProxyConfig, deps: { logger?: Logger } = {}): Promise<RunningProxy> {
  const logger = deps.logger ?? createLogger(config.log);
  const handOverSecret = config.internalSecretPath ? readSecret(config.internalSecretPath) : null;
  if (!handOverSecret && (config.blobFiles || config.uploadFiles)) {
    logger.warning('blob and upload hand-overs are off: they need internalSecretPath (the internal secret the registry checks)');
  }
  const { server, destroyAgents } = createProxyServer(config, logger, handOverSecret);
  const port = await listen(server, config.listen.port, config.listen.host);
  logger.info(`proxy listening on ${config.listen.host}:${port}`, {
    registry: config.upstreams.registry,
    core: config.upstreams.core,
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), drainMs);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        destroyAgents();
        resolve();
      });
      server.closeIdleConnections();
    });
    return stopped;
  };
  return { port, stop };
}

async function main(): Promise<void> {
  const config = loadServiceConfig(proxyConfigSchema, configPathFromArgs(process.argv));
  const logger = createLogger(config.log);
  const running = await start(config, { logger });
  onShutdown(logger, running.stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`proxy failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
