import type { Logger } from '@harbor/logging';

/**
 * Runs `stop` once on SIGTERM/SIGINT and exits; the supervisor restarts a
 * crashed service, so an uncaught error logs and exits non-zero rather than
 * limping on in an unknown state.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`received ${signal}, stopping`);
    stop()
      .catch((err: unknown) => logger.error(`error while stopping: ${String(err)}`))
      .finally(() => setTimeout(() => process.exit(0), 50));
  };
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('uncaughtException', (err) => {
    logger.error(`uncaught exception: ${err.stack ?? err.message}`);
    setTimeout(() => process.exit(1), 50);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
    setTimeout(() => process.exit(1), 50);
  });
}
