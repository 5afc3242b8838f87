import type { ServerResponse } from 'node:http';
import { AppError, harborBody, ociBody } from '@harbor/errors';

/**
 * What a failed upstream exchange means to the client:
 * - 503 when the upstream cannot be reached at all (down, restarting),
 * - 504 when it was reached but went silent past the timeout,
 * - 502 when it answered with something broken or dropped the connection.
 * The message names the service, never its address or the system error.
 */
export function upstreamFailure(service: string, err: NodeJS.ErrnoException, timedOut: boolean): AppError {
  if (timedOut || err.code === 'ETIMEDOUT') {
    return new AppError('SERVICE_UNAVAILABLE', `${service} did not answer in time`, undefined, { status: 504, cause: err });
  }
  if (err.code !== undefined && unreachable.has(err.code)) {
    return new AppError('SERVICE_UNAVAILABLE', `${service} is unavailable`, undefined, {
      status: 503,
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
  return new AppError('SERVICE_UNAVAILABLE', `${service} failed to answer`, undefined, { status: 502, cause: err });
}

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export const notFound = (): AppError => new AppError('NOT_FOUND', 'not found');

/**
 * Writes an answer of the proxy's own in the protocol's envelope. On /v2 a
 * failure that is not a spec code goes out as `UNKNOWN` (what Distribution
 * sends), and every /v2 answer carries the API version header clients check.
 */
export function sendError(res: ServerResponse, err: AppError, envelope: 'oci' | 'harbor', requestId: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const payload = envelope === 'oci' ? ociBody(err) : harborBody(err);
  const body = JSON.stringify(payload);
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  if (envelope === 'oci') res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Request-Id', requestId);
  res.statusCode = err.status;
  res.end(body);
}
