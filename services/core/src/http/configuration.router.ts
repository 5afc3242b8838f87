import { Router } from 'express';
import type { ConfigurationController } from '../controllers/configuration.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';

/** `/configurations` of Harbor's API: `ConfigurationsResponse` out, a partial `Configurations` in. */
export function configurationRouter(configurations: ConfigurationController): Router {
  const router = Router();
  router
    .route('/configurations')
    .get(async (_req, res) => {
      res.json(await configurations.get(callerOf(res)));
    })
    .put(async (req, res) => {
      await configurations.update(callerOf(res), req.body);
      res.status(200).end();
    })
    .all(methodNotAllowed);
  return router;
}
