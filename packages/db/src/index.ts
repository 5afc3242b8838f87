export * from './schema';
export * from './connect';
export * from './migrate';
export * from './ensure-database';
export * from './errors';
export { sql } from 'kysely';
