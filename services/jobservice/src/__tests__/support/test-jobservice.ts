import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { JobserviceConfig } from '@harbor/config';
import { tempDir, TempDir } from '@harbor/testkit';

export const testRedisUrl = process.env.HARBOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix of its own for one test file, so files never see each other's jobs. */
export function testPrefix(): string {
  return `harbor-test-${randomBytes(6).toString('hex')}`;
}

/** The internal secret, written as prepare writes it (0600, trailing newline). */
export function writeSecret(dir: TempDir, secret: string): string {
  const path = join(dir.path, 'internal_secret');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return path;
}

export function newSecret(): string {
  return randomBytes(16).toString('hex');
}

export function testConfig(overrides: Partial<JobserviceConfig> & Pick<JobserviceConfig, 'internalSecretPath' | 'registryUrl'>): JobserviceConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    redisUrl: testRedisUrl,
    redisPrefix: testPrefix(),
    maxJobWorkers: 2,
    coreUrl: 'http://127.0.0.1:1',
    uploadPurge: { maxAgeMinutes: 1440, intervalMinutes: 60 },
    log: { service: 'jobservice', level: 'info', syslog: null, stdout: false },
    ...overrides,
  };
}

/** Deletes every key under the prefix (BullMQ keys are `<prefix>:<queue>:…`). */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(testRedisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export { tempDir };
