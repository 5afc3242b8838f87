import express from 'express';
import { AppError } from '@harbor/errors';
import { accessLog, errorRenderer, requestId } from '@harbor/http';
import type { Logger } from '@harbor/logging';
import type { JobRegistry } from './jobs/job-registry';
import type { JobQueue } from './queue/job-queue';
import { healthHandler } from './http/health.handler';
import { internalAuth } from './http/internal-auth.middleware';
import { getJobHandler, statsHandler, submitJobHandler } from './http/jobs.handler';

export interface AppDeps {
  registry: JobRegistry;
  queue: JobQueue;
  internalSecret: string;
  logger: Logger;
}

/** Job requests are a name and a few parameters; anything bigger is not one. */
const bodyLimit = '64kb';

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use(accessLog(deps.logger));

  app.get('/api/v1/health', healthHandler(() => deps.queue.ping()));

  // Authentication comes before body parsing: strangers' bodies are never read.
  const api = express.Router();
  api.use(internalAuth(deps.internalSecret));
  api.post('/jobs', express.json({ limit: bodyLimit }), submitJobHandler(deps.registry, deps.queue));
  api.get('/jobs/:id', getJobHandler(deps.queue));
  api.get('/stats', statsHandler(deps.queue));
  app.use('/api/v1', api);

  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'not found')));
  app.use(errorRenderer('harbor', deps.logger));
  return app;
}
