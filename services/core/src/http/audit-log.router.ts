import { Request, Router } from 'express';
import { AppError } from '@harbor/errors';
import type { AuditLogController, AuditQuery } from '../controllers/audit-log.controller';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseQueryFilter, parseSort } from './query-filter';
import { auditLogResp } from './registry.presenters';
import { queryParam } from './request-input';

const textKeys = ['operation', 'resource', 'resource_type', 'username'] as const;

/**
 * Harbor's audit `q`: text terms on operation, resource, resource_type and
 * username, and a time range `op_time=[2024-01-01 00:00:00~2024-12-31 23:59:59]`
 * (either end may be empty).
 */
export function parseAuditQuery(q: string | undefined, sort: string | undefined): AuditQuery {
  const query: AuditQuery = {};
  const order = parseSort(sort, ['op_time'] as const)[0];
  if (order) query.descending = order.descending;
  if (q === undefined || q.trim() === '') return query;
  for (const raw of q.split(',')) {
    const part = raw.trim();
    const range = /^op_time=\[([^~\]]*)~([^~\]]*)\]$/.exec(part);
    if (range) {
      if (range[1]!.trim() !== '') query.from = time(range[1]!);
      if (range[2]!.trim() !== '') query.to = time(range[2]!);
      continue;
    }
    for (const term of parseQueryFilter(part, textKeys)) {
      const match = { value: term.value, fuzzy: term.fuzzy };
      if (term.key === 'operation') query.operation = match;
      else if (term.key === 'resource') query.resource = match;
      else if (term.key === 'resource_type') query.resourceType = match;
      else query.username = match;
    }
  }
  return query;
}

function time(value: string): Date {
  const text = value.trim();
  // `2024-01-01 00:00:00` as Harbor's portal sends it, read as UTC; ISO 8601 too.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) throw new AppError('BAD_REQUEST', `q: op_time ${JSON.stringify(text.slice(0, 64))} is not a time`);
  return new Date(ms);
}

/** `/audit-logs` and `/projects/{project_name}/logs` of Harbor's API. */
export function auditLogRouter(logs: AuditLogController): Router {
  const router = Router();
  const query = (req: Request) => parseAuditQuery(queryParam(req, 'q'), queryParam(req, 'sort'));

  router
    .route('/audit-logs')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, items } = await logs.list(callerOf(res), query(req), page);
      setListHeaders(req, res, total, page);
      res.json(items.map(auditLogResp));
    })
    .all(methodNotAllowed);

  router
    .route('/projects/:project_name/logs')
    .get(async (req, res) => {
      const page = parsePage(req);
      const { total, items } = await logs.listProject(callerOf(res), String(req.params.project_name), query(req), page);
      setListHeaders(req, res, total, page);
      res.json(items.map(auditLogResp));
    })
    .all(methodNotAllowed);

  return router;
}
