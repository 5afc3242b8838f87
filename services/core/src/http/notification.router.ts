import express, { NextFunction, Request, Response, Router } from 'express';
import { isInternalCall } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { NotificationController } from '../controllers/notification.controller';
import { registryEventEnvelopeSchema } from '../controllers/registry-event';
import { methodNotAllowed } from './method-not-allowed';
import { parseBody } from './request-input';

/**
 * `/service/notifications`: registry events, from the registry only. The
 * secret is checked before the body is even read.
 */
export function notificationRouter(notifications: NotificationController, internalSecret: string): Router {
  const router = Router();
  const onlyRegistry = (req: Request, _res: Response, next: NextFunction) => {
    if (!isInternalCall(req.header('authorization'), internalSecret)) throw new AppError('UNAUTHORIZED', 'unauthorized');
    next();
  };
  router
    .route('/service/notifications')
    .post(
      onlyRegistry,
      // Distribution sends `application/vnd.docker.distribution.events.v1+json`.
      express.json({ limit: '5mb', type: ['application/json', 'application/*+json'] }),
      async (req: Request, res: Response) => {
        const { events } = parseBody(registryEventEnvelopeSchema, req);
        await notifications.receive(events);
        res.status(200).end();
      },
    )
    .all(methodNotAllowed);
  return router;
}
