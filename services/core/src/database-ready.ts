import type { DatabaseConfig } from '@harbor/config';
import { ensureDatabase } from '@harbor/db';
import type { Logger } from '@harbor/logging';

/** The server is not up yet (compose starts everything at once): worth waiting for. */
const transient = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR']);
/** The user may not create databases: fine when the operator created ours already (connecting will tell). */
const mayNotCreate = new Set(['ER_DBACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR']);

/**
 * Creates the database when the configured user may, waiting up to `waitMs`
 * for the server to accept connections. Bad credentials fail at once.
 */
export async function databaseReady(config: DatabaseConfig, logger: Logger, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureDatabase(config);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (mayNotCreate.has(code)) {
        logger.info(`cannot create database ${config.database} (${code}); assuming it exists`);
        return;
      }
      if (!transient.has(code) || Date.now() >= deadline) throw err;
      if (attempt === 1) logger.warning(`database ${config.host}:${config.port} not reachable yet (${code}), waiting`);
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
    }
  }
}
