export * from './test-database';
export * from './ports';
export * from './wait-for';
export * from './key-pair';
export * from './temp-dir';
export * from './slapd';
