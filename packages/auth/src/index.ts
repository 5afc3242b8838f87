export * from './scope';
export * from './key-id';
export * from './registry-token';
export * from './internal-secret';
export * from './basic-auth';
