import type { Request, Response } from 'express';
import type { Db } from '@harbor/db';
import { sql } from '@harbor/db';
import type { StorageDriver } from '../storage/storage-driver';

export interface HealthChecks {
  db: Db;
  storage: StorageDriver;
}

/** `GET /health`: 200 when the database and the storage both answer, 503 otherwise. */
export function healthHandler(checks: HealthChecks) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [database, storage] = await Promise.all([
      sql`SELECT 1`.execute(checks.db).then(() => true, () => false),
      checks.storage.stat('/').then((root) => root.isDir, () => false),
    ]);
    const healthy = database && storage;
    res.status(healthy ? 200 : 503).json(
      healthy ? { status: 'healthy' } : { status: 'unhealthy', components: { database, storage } },
    );
  };
}
