export * from './common.schema';
export * from './services.schema';
export * from './load';
