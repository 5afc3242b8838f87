import { AppError } from '@harbor/errors';

/**
 * A request body that must be a JSON object (not an array, a string or
 * nothing): 400 in Harbor's envelope otherwise. Shared by parseBody and the
 * controllers that check the caller before they read the body.
 */
export function jsonObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', 'the request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}
