import type { HealthProbe } from './health-probe';

/** Anything that answers PING (node-redis clients do). */
export interface Pingable {
  ping(): Promise<string>;
}

export function redisProbe(redis: Pingable): HealthProbe {
  return {
    name: 'redis',
    async check() {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected answer to PING: ${answer}`);
    },
  };
}
