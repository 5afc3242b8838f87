import type { Request, Response } from 'express';
import { describeIssues } from '@harbor/config';
import { AppError } from '@harbor/errors';
import { submitJobRequestSchema } from '@harbor/queue';
import type { JobRegistry } from '../jobs/job-registry';
import type { JobQueue } from '../queue/job-queue';

/** `POST /api/v1/jobs` `{"name","parameters"}` → 202 `{"id","name","status"}`. */
export function submitJobHandler(registry: JobRegistry, queue: JobQueue) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!req.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'expected an application/json body');
    const body = submitJobRequestSchema.safeParse(req.body);
    if (!body.success) throw new AppError('BAD_REQUEST', `invalid job request: ${describeIssues(body.error)}`);
    const { name } = body.data;
    if (!registry.has(name)) throw new AppError('BAD_REQUEST', `unknown job name: ${name}`);
    const parameters = registry.parseParameters(name, body.data.parameters);
    const job = await queue.submit(name, parameters);
    res.status(202).location(`${req.baseUrl}/jobs/${job.id}`).json(job);
  };
}

/** `GET /api/v1/jobs/:id` → the job's status, its result once it succeeded, its error once it failed. */
export function getJobHandler(queue: JobQueue) {
  return async (req: Request<{ id: string }>, res: Response): Promise<void> => {
    const job = await queue.find(req.params.id);
    if (!job) throw new AppError('NOT_FOUND', 'job not found');
    res.setHeader('Cache-Control', 'no-store');
    res.json(job);
  };
}

/** `GET /api/v1/stats` → how many jobs are pending, running, succeeded and failed. */
export function statsHandler(queue: JobQueue) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await queue.stats());
  };
}
