import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import type { RobotController, RobotListQuery } from '../controllers/robot.controller';
import { parseRobotLoginName } from '../domain/robot';
import { maxAccessPerScope, maxPermissionScopes } from '../domain/robot-permission';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseQueryFilter } from './query-filter';
import { parseBody, pathId, queryParam } from './request-input';
import { robotCreatedResp, robotResp } from './robot.presenter';

const access = z.object({
  resource: z.string().min(1).max(64),
  action: z.string().min(1).max(32),
  effect: z.enum(['allow', 'deny']).optional(),
});

const permission = z.object({
  kind: z.enum(['system', 'project']),
  namespace: z.string().min(1).max(255),
  access: z.array(access).max(maxAccessPerScope),
});

const permissions = z.array(permission).max(maxPermissionScopes);

const robotCreate = z.object({
  name: z.string().max(255),
  description: z.string().max(1024).optional(),
  secret: z.string().max(1024).optional(),
  level: z.enum(['system', 'project']),
  disable: z.boolean().optional(),
  duration: z.number().int(),
  permissions,
});

/** PUT takes Harbor's whole `Robot`; read-only fields may be echoed back and are ignored. */
const robotUpdate = z.object({
  name: z.string().max(512),
  description: z.string().max(1024).optional(),
  level: z.enum(['system', 'project']),
  disable: z.boolean().optional(),
  duration: z.number().int().nullable().optional(),
  permissions,
});

const robotSec = z.object({ secret: z.string().max(1024).optional() });

/** Keys of `q` as Harbor's portal sends them (`Level=project,ProjectID=3`), and lower-case spellings. */
const queryKeys = ['Level', 'level', 'ProjectID', 'project_id', 'name', 'Name'];

/** `/robots…` of Harbor's API. */
export function robotRouter(robots: RobotController): Router {
  const router = Router();
  router
    .route('/robots')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, robots: list } = await robots.list(callerOf(res), listQuery(queryParam(req, 'q')), page);
      setListHeaders(req, res, total, page);
      res.json(list.map(robotResp));
    })
    .post(async (req, res) => {
      const body = parseBody(robotCreate, req);
      const { robot, secret } = await robots.create(callerOf(res), { ...body, permissions: withEffects(body.permissions) });
      res.status(201).location(`/api/v2.0/robots/${robot.id}`).json(robotCreatedResp(robot, secret));
    })
    .all(methodNotAllowed);
  router
    .route('/robots/:robot_id')
    .get(async (req, res) => {
      res.json(robotResp(await robots.get(callerOf(res), pathId(req.params.robot_id, 'robot_id'))));
    })
    .put(async (req, res) => {
      const id = pathId(req.params.robot_id, 'robot_id');
      const body = parseBody(robotUpdate, req);
      await robots.update(callerOf(res), id, { ...body, permissions: withEffects(body.permissions) });
      res.status(200).end();
    })
    .patch(async (req, res) => {
      const id = pathId(req.params.robot_id, 'robot_id');
      const body = parseBody(robotSec, req);
      const secret = await robots.refreshSecret(callerOf(res), id, body.secret);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ secret });
    })
    .delete(async (req, res) => {
      await robots.delete(callerOf(res), pathId(req.params.robot_id, 'robot_id'));
      res.status(200).end();
    })
    .all(methodNotAllowed);
  return router;
}

function withEffects(list: z.infer<typeof permissions>) {
  return list.map((scope) => ({ ...scope, access: scope.access.map((a) => ({ ...a, effect: a.effect ?? ('allow' as const) })) }));
}

function listQuery(q: string | undefined): RobotListQuery {
  const query: RobotListQuery = {};
  for (const term of parseQueryFilter(q, queryKeys)) {
    const key = term.key.toLowerCase();
    if (key === 'level') {
      if (term.value !== 'system' && term.value !== 'project') throw new AppError('BAD_REQUEST', 'Level must be system or project');
      query.level = term.value;
    } else if (key === 'projectid' || key === 'project_id') {
      if (!/^[0-9]{1,10}$/.test(term.value) || Number(term.value) < 1 || Number(term.value) > 2147483647) {
        throw new AppError('BAD_REQUEST', 'ProjectID must be a positive integer');
      }
      query.projectId = Number(term.value);
    } else {
      // Callers may search by the full login name; names are stored bare.
      const parsed = parseRobotLoginName(term.value);
      query.name = { value: parsed ? parsed.name : term.value, fuzzy: term.fuzzy };
    }
  }
  return query;
}
