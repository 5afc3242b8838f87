export * from './queue-name';
export * from './purge-uploads.job';
export * from './job-definitions';
export * from './job-api';
