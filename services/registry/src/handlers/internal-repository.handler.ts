import express, { Request, Response, Router } from 'express';
import { z } from 'zod';
import { isInternalCall } from '@harbor/auth';
import type { Db } from '@harbor/db';
import { AppError } from '@harbor/errors';
import { RepositoryAdminDao } from '../dao/repository-admin.dao';

const name = z.string().min(1).max(255);
const descriptionRequest = z.object({ name, description: z.string().max(10_000) });
const deleteRequest = z.object({ name });

/**
 * Core's writes to repository metadata (Harbor-Secret only, never routed by
 * the proxy): `PUT /internal/repositories/description` `{"name","description"}`
 * and `POST /internal/repositories/delete` `{"name"}` → 200 `{}`, 404 when the
 * repository does not exist.
 */
export function internalRepositoryRouter(internalSecret: string, db: Db): Router {
  const repositories = new RepositoryAdminDao(db);
  const router = Router();
  router.use(express.json({ limit: '64kb' }), (req: Request, _res: Response, next) => {
    if (!isInternalCall(req.header('authorization'), internalSecret)) throw new AppError('UNAUTHORIZED', 'internal secret required');
    next();
  });
  router.put('/description', async (req, res) => {
    const body = descriptionRequest.safeParse(req.body);
    if (!body.success) throw new AppError('BAD_REQUEST', 'body must be {"name": <repository>, "description": <text>}');
    if (!(await repositories.updateDescription(body.data.name, body.data.description))) throw new AppError('NOT_FOUND', 'repository not found');
    res.status(200).json({});
  });
  router.post('/delete', async (req, res) => {
    const body = deleteRequest.safeParse(req.body);
    if (!body.success) throw new AppError('BAD_REQUEST', 'body must be {"name": <repository>}');
    if (!(await repositories.delete(body.data.name))) throw new AppError('NOT_FOUND', 'repository not found');
    res.status(200).json({});
  });
  return router;
}
