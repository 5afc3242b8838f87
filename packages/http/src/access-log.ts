import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@harbor/logging';

/**
 * One line per finished request: method, path, status, bytes, time, request
 * id. `level` lets a service that sits behind the proxy (which logs every
 * request already) keep its own line for debugging only; when that level is
 * off, nothing is done per request at all.
 */
export function accessLog(logger: Logger, level: 'info' | 'debug' = 'info') {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!logger.isLevelEnabled(level)) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.log(level, `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode}`, {
        requestId: res.locals.requestId,
        ms: Math.round(ms * 10) / 10,
        bytes: Number(res.getHeader('content-length') ?? 0),
      });
    });
    next();
  };
}
