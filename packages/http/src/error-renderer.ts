import type { NextFunction, Request, Response } from 'express';
import { AppError, harborBody, ociBody, toAppError } from '@harbor/errors';
import type { Logger } from '@harbor/logging';

export type Envelope = 'oci' | 'harbor';

/**
 * The last middleware of every app: turns whatever was thrown into the
 * protocol's own envelope. 5xx causes are logged with the request id and
 * never sent to the caller.
 */
export function errorRenderer(envelope: Envelope | ((req: Request) => Envelope), logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error(`${req.method} ${req.originalUrl.split('?')[0]} failed: ${describe(appError.cause ?? err)}`, {
        requestId: res.locals.requestId,
      });
    }
    if (res.headersSent) {
      // The status line is gone already; all that is left is to cut the stream.
      res.destroy();
      return;
    }
    send(res, appError, typeof envelope === 'function' ? envelope(req) : envelope);
  };
}

/**
 * Headers that describe a success's body or say how long to keep it. A
 * handler may set them before it fails (a blob GET sets its type, length and
 * digest before the storage read that throws); left on the error they would
 * make a 404 look like a cacheable blob, so an error never carries them.
 */
export const successOnlyHeaders: readonly string[] = [
  'content-type',
  'content-length',
  'content-range',
  'content-encoding',
  'content-disposition',
  'content-language',
  'content-location',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
  'expires',
  'docker-content-digest',
  'oci-subject',
];

export function send(res: Response, err: AppError, envelope: Envelope): void {
  for (const name of successOnlyHeaders) res.removeHeader(name);
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  const body = envelope === 'oci' ? ociBody(err) : harborBody(err);
  res.status(err.status).json(body);
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
