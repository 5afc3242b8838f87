export * from './request-id';
export * from './access-log';
export * from './error-renderer';
export * from './listen';
export * from './shutdown';
export * from './blob-offload';
export * from './upload-offload';
