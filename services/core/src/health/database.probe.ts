import { Db, sql } from '@harbor/db';
import type { HealthProbe } from './health-probe';

export function databaseProbe(db: Db): HealthProbe {
  return {
    name: 'database',
    async check() {
      await sql`SELECT 1`.execute(db);
    },
  };
}
