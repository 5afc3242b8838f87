import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';
import type { RedisCommands } from './redis-commands';

export interface LoginThrottleOptions {
  /** Failures of one account within the window before it cools down. */
  accountThreshold: number;
  /** Failures from one source address within the window before it cools down (higher: NAT hides many people). */
  addressThreshold: number;
  /** The sliding window failures are counted in. */
  windowMs: number;
  /** The first cooldown; each further failure past the threshold doubles it… */
  baseCooldownMs: number;
  /** …up to this bound, so the real user is never locked out for longer. */
  maxCooldownMs: number;
  keyPrefix?: string;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  accountThreshold: 5,
  addressThreshold: 20,
  windowMs: 15 * 60_000,
  baseCooldownMs: 30_000,
  maxCooldownMs: 15 * 60_000,
};

/**
 * Records one failure in a sliding window (a sorted set of timestamps) and,
 * past the threshold, sets the cooldown key with a doubling, bounded expiry.
 * Atomic in Redis, so concurrent replicas count together.
 * KEYS: failures, cooldown. ARGV: now, window, threshold, base, max, unique member.
 */
const recordFailure = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1001)
redis.call('PEXPIRE', KEYS[1], window)
local n = redis.call('ZCARD', KEYS[1])
local threshold = tonumber(ARGV[3])
if n < threshold then return 0 end
local ms = tonumber(ARGV[4]) * (2 ^ math.min(n - threshold, 40))
ms = math.min(ms, tonumber(ARGV[5]))
ms = math.floor(ms)
redis.call('SET', KEYS[2], '1', 'PX', ms)
return ms
`;

/**
 * Failed logins counted per account and per source address, in Redis. While
 * either is cooling down, attempts for it are refused with 429 before the
 * password is even checked (so guessing stops paying off); cooldowns grow
 * with persistence but never exceed `maxCooldownMs`. A success clears the
 * account's count. When Redis is unreachable the throttle lets logins
 * through (and says so in the log): an outage of the counter must not lock
 * every user and every docker client out.
 */
export class LoginThrottle {
  private readonly prefix: string;
  private warned = false;

  constructor(
    private readonly redis: RedisCommands,
    private readonly options: LoginThrottleOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.prefix = options.keyPrefix ?? 'harbor:core:login:';
  }

  /** Throws TOO_MANY_REQUEST while the account or the address is cooling down. */
  async check(account: string, address: string): Promise<void> {
    const waits = await this.safely(() =>
      Promise.all([this.redis.pTTL(this.keys('account', account).cooldown), this.redis.pTTL(this.keys('address', address).cooldown)]),
    );
    if (!waits) return;
    const wait = Math.max(...waits);
    if (wait > 0 || waits.includes(-1)) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new AppError('TOO_MANY_REQUEST', `too many failed login attempts: try again in ${seconds} seconds`);
    }
  }

  async failed(account: string, address: string): Promise<void> {
    const now = String(this.now());
    const member = `${now}-${randomBytes(6).toString('hex')}`;
    const { windowMs, baseCooldownMs, maxCooldownMs } = this.options;
    const record = (kind: 'account' | 'address', value: string, threshold: number) => {
      const keys = this.keys(kind, value);
      return this.redis.eval(recordFailure, {
        keys: [keys.failures, keys.cooldown],
        arguments: [now, String(windowMs), String(threshold), String(baseCooldownMs), String(maxCooldownMs), member],
      });
    };
    await this.safely(() =>
      Promise.all([record('account', account, this.options.accountThreshold), record('address', address, this.options.addressThreshold)]),
    );
  }

  /** The account proved its password: its failures are forgotten (the address's are not). */
  async succeeded(account: string): Promise<void> {
    const keys = this.keys('account', account);
    await this.safely(() => this.redis.del([keys.failures, keys.cooldown]));
  }

  private keys(kind: 'account' | 'address', value: string): { failures: string; cooldown: string } {
    // Hashed: keys stay short whatever a client sends, and usernames compare case-insensitively as in the database.
    const normalized = kind === 'account' ? value.toLowerCase() : value;
    const id = createHash('sha256').update(normalized).digest('base64url');
    return { failures: `${this.prefix}fail:${kind}:${id}`, cooldown: `${this.prefix}cool:${kind}:${id}` };
  }

  private async safely<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.warned = false;
      return result;
    } catch (err) {
      if (!this.warned) this.logger.warning(`login throttle unavailable, not throttling: ${err instanceof Error ? err.message : String(err)}`);
      this.warned = true;
      return undefined;
    }
  }
}
