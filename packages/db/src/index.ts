export * from './schema';
export * from './connect';
export * from './migrate';
export * from './ensure-database';
export * from './errors';
export { preparedQuery, PreparedQuery } from './prepared-query';
export type { PreparedParam } from './prepared-query';
export { sql } from 'kysely';
