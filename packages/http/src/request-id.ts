import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const validId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Keeps the caller's X-Request-Id when it is sane (so one id follows a request
 * from the proxy through core or the registry), otherwise makes one; echoes it.
 */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-request-id');
    const id = incoming && validId.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
