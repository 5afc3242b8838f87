import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import type { ProjectController } from '../controllers/project.controller';
import type { ProjectFilter, ProjectSortKey } from '../dao/project.dao';
import { requireUser } from '../controllers/guards';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { projectResp, projectSummaryResp } from './presenters';
import { projectRefOf } from './project-ref';
import { parseQueryFilter, parseSort } from './query-filter';
import { booleanQuery, parseBody, queryParam } from './request-input';

const projectReq = z.object({
  project_name: z.string().max(255),
  public: z.boolean().nullable().optional(),
  metadata: z.record(z.string().max(64), z.string().max(255)).optional(),
  storage_limit: z.number().int().nullable().optional(),
  registry_id: z.number().int().nullable().optional(),
});

/** The same ProjectReq for updates: every field optional; the CVE allowlist is accepted and not kept (no scanner here). */
const projectUpdateReq = projectReq.omit({ project_name: true, registry_id: true }).extend({
  project_name: z.string().max(255).optional(),
  cve_allowlist: z.object({}).passthrough().nullable().optional(),
});

const sortKeys: readonly ProjectSortKey[] = ['name', 'creation_time', 'update_time', 'project_id'];

/** `/projects` and `/projects/{project_name_or_id}` of Harbor's API. */
export function projectRouter(projects: ProjectController): Router {
  const router = Router();

  router
    .route('/projects')
    .head(async (req, res) => {
      const name = queryParam(req, 'project_name');
      if (name === undefined || name === '') throw new AppError('BAD_REQUEST', 'query parameter project_name is required');
      // Harbor answers this only to signed-in callers (it backs the "new project" form).
      requireUser(callerOf(res));
      res.status((await projects.exists(name)) ? 200 : 404).end();
    })
    .get(async (req, res) => {
      const page = parsePage(req);
      const filter: Omit<ProjectFilter, 'visibility'> = {};
      const name = queryParam(req, 'name');
      // Harbor matches `name` as a substring.
      if (name !== undefined && name !== '') filter.name = { value: name, fuzzy: true };
      const isPublic = booleanQuery(req, 'public');
      if (isPublic !== undefined) filter.public = isPublic;
      const owner = queryParam(req, 'owner');
      if (owner !== undefined && owner !== '') filter.owner = owner;
      for (const term of parseQueryFilter(queryParam(req, 'q'), ['name', 'public', 'owner'])) {
        if (term.key === 'name') filter.name = { value: term.value, fuzzy: term.fuzzy };
        else if (term.key === 'owner') filter.owner = term.value;
        else if (term.value === 'true' || term.value === 'false') filter.public = term.value === 'true';
        else throw new AppError('BAD_REQUEST', 'q: public must be true or false');
      }
      filter.sort = parseSort(queryParam(req, 'sort'), sortKeys);
      const withDetail = booleanQuery(req, 'with_detail') ?? true;
      const caller = callerOf(res);
      const { total, items } = await projects.list(caller, filter, page);
      setListHeaders(req, res, total, page);
      res.json(items.map((view) => projectResp(view, caller, { withDetail })));
    })
    .post(async (req, res) => {
      const body = parseBody(projectReq, req);
      const id = await projects.create(callerOf(res), {
        name: body.project_name,
        public: body.public,
        metadata: body.metadata,
        storageLimit: body.storage_limit,
        registryId: body.registry_id,
      });
      const byName = (req.header('x-resource-name-in-location') ?? '').toLowerCase() === 'true';
      res.status(201).location(`/api/v2.0/projects/${byName ? body.project_name : id}`).end();
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name_or_id')
    .get(async (req, res) => {
      const caller = callerOf(res);
      res.json(projectResp(await projects.get(caller, projectRefOf(req)), caller));
    })
    .put(async (req, res) => {
      const body = parseBody(projectUpdateReq, req);
      await projects.update(callerOf(res), projectRefOf(req), {
        name: body.project_name,
        public: body.public,
        metadata: body.metadata,
        storageLimit: body.storage_limit,
      });
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await projects.delete(callerOf(res), projectRefOf(req));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name_or_id/summary')
    .get(async (req, res) => {
      res.json(projectSummaryResp(await projects.summary(callerOf(res), projectRefOf(req))));
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name_or_id/_deletable')
    .get(async (req, res) => {
      res.json(await projects.deletable(callerOf(res), projectRefOf(req)));
    })
    .all(methodNotAllowed);

  return router;
}
