import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@harbor/logging';

/** One line per finished request: method, path, status, bytes, time, request id. */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(`${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode}`, {
        requestId: res.locals.requestId,
        ms: Math.round(ms * 10) / 10,
        bytes: Number(res.getHeader('content-length') ?? 0),
      });
    });
    next();
  };
}
