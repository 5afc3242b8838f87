import type { NextFunction, Request, Response } from 'express';
import { isInternalCall } from '@harbor/auth';
import { AppError } from '@harbor/errors';

/** The jobs API is for other services only: `Authorization: Harbor-Secret <internal secret>`. */
export function internalAuth(secret: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (isInternalCall(req.header('authorization'), secret)) return next();
    next(new AppError('UNAUTHORIZED', 'internal secret required'));
  };
}
