export * from './digest';
export * from './media-types';
export * from './repository-name';
export * from './manifest.schema';
export * from './parse-manifest';
export * from './accept-header';
