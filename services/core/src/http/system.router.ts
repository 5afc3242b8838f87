import { Router } from 'express';
import type { HealthController } from '../controllers/health.controller';
import type { SystemInfoController } from '../controllers/systeminfo.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';

/** `/ping`, `/health` and `/systeminfo`: open to anonymous callers, as in Harbor. */
export function systemRouter(health: HealthController, systemInfo: SystemInfoController): Router {
  const router = Router();
  router
    .route('/ping')
    .get((_req, res) => {
      res.type('text/plain').send('Pong');
    })
    .all(methodNotAllowed);
  router
    .route('/health')
    .get(async (_req, res) => {
      res.json(await health.check());
    })
    .all(methodNotAllowed);
  router
    .route('/systeminfo')
    .get(async (_req, res) => {
      res.json(await systemInfo.info(callerOf(res)));
    })
    .all(methodNotAllowed);
  return router;
}
