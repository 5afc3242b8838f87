import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '@harbor/errors';
import type { QuotaController } from '../controllers/quota.controller';
import type { QuotaRecord, QuotaSortKey } from '../dao/quota.dao';
import { requireSysadmin } from '../controllers/guards';
import { intId } from '../domain/int-id';
import { callerOf } from './caller.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { parsePage, setListHeaders } from './pagination';
import { parseBody, queryParam } from './request-input';

/** Harbor's QuotaUpdateReq: `hard` is a ResourceList (resource name → integer). */
const quotaUpdateReq = z.object({ hard: z.record(z.string().max(64), z.number()) });

/** Harbor's sort values: `hard.storage`, `used.storage`, `-` first for descending. */
const sortValues: Record<string, QuotaSortKey> = { 'hard.storage': 'hard', 'used.storage': 'used' };

function parseQuotaSort(value: string | undefined): Array<{ key: QuotaSortKey; descending: boolean }> {
  if (value === undefined || value === '') return [];
  return value.split(',').map((part) => {
    const descending = part.startsWith('-');
    const key = sortValues[descending ? part.slice(1) : part];
    if (!key) throw new AppError('BAD_REQUEST', `sort: ${part} is not one of hard.storage, used.storage (prefix - for descending)`);
    return { key, descending };
  });
}

/** An id in the path; one that cannot be a quota's is simply no quota (404, after the caller check). */
const quotaId = (req: Request): number | null => intId(String(req.params.id ?? ''));

/** Harbor's `Quota`; `ref` is the project, as Harbor's project quota reference shows it. */
export function quotaResp(quota: QuotaRecord): Record<string, unknown> {
  return {
    id: quota.id,
    ref: { id: quota.projectId, name: quota.projectName, owner_name: quota.ownerName },
    hard: { storage: quota.hardStorage },
    used: { storage: quota.usedStorage },
    creation_time: quota.creationTime.toISOString(),
    update_time: quota.updateTime.toISOString(),
  };
}

/** `/quotas` and `/quotas/{id}` of Harbor's API. */
export function quotaRouter(quotas: QuotaController): Router {
  const router = Router();

  router
    .route('/quotas')
    .get(async (req, res) => {
      const page = parsePage(req);
      const sort = parseQuotaSort(queryParam(req, 'sort'));
      const { total, quotas: found } = await quotas.list(callerOf(res), { reference: queryParam(req, 'reference'), referenceId: queryParam(req, 'reference_id') }, sort, page);
      setListHeaders(req, res, total, page);
      res.json(found.map(quotaResp));
    })
    .all(methodNotAllowed);

  router
    .route('/quotas/:id')
    .get(async (req, res) => {
      res.json(quotaResp(await quotas.get(callerOf(res), quotaId(req))));
    })
    .put(async (req, res) => {
      const caller = callerOf(res);
      // Who may ask comes first: the body's rules are no business of other callers.
      requireSysadmin(caller);
      const body = parseBody(quotaUpdateReq, req);
      await quotas.update(caller, quotaId(req), body.hard);
      res.status(200).end();
    })
    .all(methodNotAllowed);

  return router;
}
