import { ErrorCode, statusOf } from './codes';

/**
 * An expected failure, carried as data. `message` is safe to show to the
 * caller; anything internal belongs in `cause`, which is logged, never sent.
 */
export class AppError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
    options: { status?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? statusOf(code);
    this.headers = options.headers ?? {};
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Shorthand for handlers: `throw fail('BLOB_UNKNOWN', 'blob unknown to registry')`. */
export function fail(code: ErrorCode, message: string, detail?: unknown): AppError {
  return new AppError(code, message, detail);
}
