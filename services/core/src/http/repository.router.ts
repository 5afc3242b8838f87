import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import type { RepositoryController, RepositoryListFilter } from '../controllers/repository.controller';
import type { RepositorySortKey } from '../dao/repository.dao';
import { repositoryNameFromPath } from '../domain/repository-path';
import type { Request } from 'express';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseQueryFilter, parseSort } from './query-filter';
import { repositoryResp } from './registry.presenters';
import { parseBody, queryParam } from './request-input';

const repositoryUpdate = z.object({ description: z.string().max(10_000) });
const sortKeys: readonly RepositorySortKey[] = ['name', 'creation_time', 'update_time', 'pull_count'];

function listFilter(req: Request): RepositoryListFilter {
  const filter: RepositoryListFilter = { sort: parseSort(queryParam(req, 'sort'), sortKeys) };
  for (const term of parseQueryFilter(queryParam(req, 'q'), ['name', 'project_id'])) {
    if (term.key === 'name') filter.name = { value: term.value, fuzzy: term.fuzzy };
    else if (!term.fuzzy && /^[0-9]{1,10}$/.test(term.value)) filter.projectId = Number(term.value);
    else throw new AppError('BAD_REQUEST', 'q: project_id must be an exact integer');
  }
  return filter;
}

/** The `repository_name` path parameter: double URL-encoded when it has `/` (Harbor's rule). */
export function repositoryParam(req: Request): string {
  return repositoryNameFromPath(String(req.params.project_name), String(req.params.repository_name));
}

/** `/repositories` and `/projects/{project_name}/repositories…` of Harbor's API. */
export function repositoryRouter(repositories: RepositoryController): Router {
  const router = Router();

  router
    .route('/repositories')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, items } = await repositories.listVisible(callerOf(res), listFilter(req), page);
      setListHeaders(req, res, total, page);
      res.json(items.map(repositoryResp));
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name/repositories')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, items } = await repositories.listInProject(callerOf(res), String(req.params.project_name), listFilter(req), page);
      setListHeaders(req, res, total, page);
      res.json(items.map(repositoryResp));
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name/repositories/:repository_name')
    .get(async (req, res) => {
      res.json(repositoryResp(await repositories.get(callerOf(res), String(req.params.project_name), repositoryParam(req))));
    })
    .put(async (req, res) => {
      const body = parseBody(repositoryUpdate, req);
      await repositories.updateDescription(callerOf(res), String(req.params.project_name), repositoryParam(req), body.description);
      res.status(200).end();
    })
    .delete(async (req, res) => {
      await repositories.delete(callerOf(res), String(req.params.project_name), repositoryParam(req));
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
