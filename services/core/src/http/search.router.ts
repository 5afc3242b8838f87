import { Router } from 'express';
import { AppError } from '@harbor/errors';
import type { SearchController } from '../controllers/search.controller';
import type { StatisticsController } from '../controllers/statistics.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { projectResp, searchRepositoryResp } from './presenters';
import { queryParam } from './request-input';

/** Longer than any project or repository name can be. */
const maxTermLength = 255;

/** `/search` and `/statistics` of Harbor's API. */
export function searchRouter(search: SearchController, statistics: StatisticsController): Router {
  const router = Router();
  router
    .route('/search')
    .get(async (req, res) => {
      const term = queryParam(req, 'q');
      if (term === undefined) throw new AppError('BAD_REQUEST', 'query parameter q is required');
      if (term.length > maxTermLength) throw new AppError('BAD_REQUEST', `q must be at most ${maxTermLength} characters`);
      const caller = callerOf(res);
      const found = await search.search(caller, term);
      res.json({
        project: found.projects.map((view) => projectResp(view, caller)),
        repository: found.repositories.map(searchRepositoryResp),
      });
    })
    .all(methodNotAllowed);

  router
    .route('/statistics')
    .get(async (_req, res) => {
      const s = await statistics.statistics(callerOf(res));
      res.json({
        private_project_count: s.privateProjectCount,
        private_repo_count: s.privateRepoCount,
        public_project_count: s.publicProjectCount,
        public_repo_count: s.publicRepoCount,
        total_project_count: s.totalProjectCount,
        total_repo_count: s.totalRepoCount,
        total_storage_consumption: s.totalStorageConsumption,
      });
    })
    .all(methodNotAllowed);
  return router;
}
