import { Router } from 'express';
import type { PermissionController } from '../controllers/permission.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { booleanQuery, queryParam } from './request-input';

/** `/users/current/permissions` of Harbor's API. */
export function permissionRouter(permissions: PermissionController): Router {
  const router = Router();
  router
    .route('/users/current/permissions')
    .get(async (req, res) => {
      const scope = queryParam(req, 'scope');
      res.json(await permissions.list(callerOf(res), scope, booleanQuery(req, 'relative') ?? false));
    })
    .all(methodNotAllowed);
  return router;
}
