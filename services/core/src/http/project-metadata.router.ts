import { Router } from 'express';
import type { ProjectMetadataController } from '../controllers/project-metadata.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { projectRefOf } from './project-ref';

/** `/projects/{project_name_or_id}/metadatas/` and `…/metadatas/{meta_name}` of Harbor's API (bodies: `{name: "value"}`). */
export function projectMetadataRouter(metadata: ProjectMetadataController): Router {
  const router = Router();

  router
    .route('/projects/:project_name_or_id/metadatas')
    .get(async (req, res) => {
      res.json(await metadata.list(callerOf(res), projectRefOf(req)));
    })
    .post(async (req, res) => {
      await metadata.add(callerOf(res), projectRefOf(req), req.body);
      res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name_or_id/metadatas/:meta_name')
    .get(async (req, res) => {
      res.json(await metadata.get(callerOf(res), projectRefOf(req), String(req.params.meta_name)));
    })
    .put(async (req, res) => {
      await metadata.update(callerOf(res), projectRefOf(req), String(req.params.meta_name), req.body);
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await metadata.delete(callerOf(res), projectRefOf(req), String(req.params.meta_name));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
