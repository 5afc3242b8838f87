import type { Request, Response } from 'express';
import { z } from 'zod';
import { isInternalCall } from '@harbor/auth';
import { AppError } from '@harbor/errors';
import type { BlobUploads } from '../services/blob-uploads.service';

const purgeRequestSchema = z.object({ olderThanMinutes: z.number().int().min(0).max(10_000_000) });

/** `POST /internal/uploads/purge` (Harbor-Secret only): the jobservice's PURGE_UPLOADS job calls it. */
export function purgeHandler(internalSecret: string, uploads: BlobUploads) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!isInternalCall(req.header('authorization'), internalSecret)) throw new AppError('UNAUTHORIZED', 'internal secret required');
    const body = purgeRequestSchema.safeParse(req.body);
    if (!body.success) throw new AppError('BAD_REQUEST', 'body must be {"olderThanMinutes": <non-negative integer>}');
    const purged = await uploads.purge(body.data.olderThanMinutes);
    res.status(200).json({ purged });
  };
}
