import IORedis, { RedisOptions } from 'ioredis';
import type { Logger } from '@harbor/logging';

export type Redis = IORedis;
export type ConnectionRole = 'commands' | 'worker';

/**
 * Two kinds of connection. `commands` serves the API and health: it never
 * queues a command while Redis is away, so callers get an answer (503) at
 * once instead of hanging. `worker` is what BullMQ's workers need: commands
 * wait for Redis to come back (maxRetriesPerRequest: null).
 * Both reconnect forever, backing off to 5 s, so a Redis restart heals by itself.
 */
export function createRedis(url: string, role: ConnectionRole, logger: Logger): Redis {
  const options: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
    ...(role === 'commands'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
      : { maxRetriesPerRequest: null }),
  };
  const redis = new IORedis(url, options);
  watch(redis, `redis (${role})`, logger);
  return redis;
}

/** Logs only changes of state: a Redis that stays down would otherwise log every retry. */
function watch(redis: Redis, what: string, logger: Logger): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warning(`${what} unavailable: ${err.message}`);
  });
  redis.on('ready', () => {
    if (down) logger.info(`${what} connected again`);
    down = false;
  });
}

/** Closes politely when connected, and at once when not (QUIT would wait for a Redis that is gone). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: the connection went away while quitting
    }
  }
  redis.disconnect();
}
