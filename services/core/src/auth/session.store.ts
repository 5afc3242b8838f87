import { randomBytes } from 'node:crypto';
import type { RedisCommands } from './redis-commands';

export interface Session {
  id: string;
  userId: number;
  /** The CSRF token bound to this session; writes must echo it in `X-Harbor-CSRF-Token`. */
  csrfToken: string;
}

export interface SessionStoreOptions {
  /** Idle lifetime: every use pushes the expiry out again (sliding). */
  idleTimeoutMs: number;
  keyPrefix?: string;
}

/** 30 minutes idle, like Harbor's portal session. */
export const defaultSessionIdleMs = 30 * 60_000;

const idPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Portal sessions in Redis, so every core replica sees them and a restart
 * keeps them. The id is 32 random bytes (base64url) and is the whole secret:
 * the value holds only the user id and the session's CSRF token.
 */
export class SessionStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisCommands,
    private readonly options: SessionStoreOptions,
  ) {
    this.prefix = options.keyPrefix ?? 'harbor:core:session:';
  }

  async create(userId: number): Promise<Session> {
    const session: Session = { id: token(), userId, csrfToken: token() };
    await this.redis.set(this.prefix + session.id, JSON.stringify({ userId, csrfToken: session.csrfToken }), { PX: this.options.idleTimeoutMs });
    return session;
  }

  /** The live session with this id, its idle timer restarted; null when unknown, expired or malformed. */
  async touch(id: string): Promise<Session | null> {
    if (!idPattern.test(id)) return null;
    const raw = await this.redis.getEx(this.prefix + id, { PX: this.options.idleTimeoutMs });
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as { userId?: unknown; csrfToken?: unknown };
      if (typeof value.userId !== 'number' || typeof value.csrfToken !== 'string') return null;
      return { id, userId: value.userId, csrfToken: value.csrfToken };
    } catch {
      return null;
    }
  }

  async destroy(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    await this.redis.del(this.prefix + id);
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}
