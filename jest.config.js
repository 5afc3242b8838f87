/**
 * One jest run for the whole repository: unit tests next to the code,
 * integration tests (real MariaDB/Redis) under each service, end-to-end
 * tests under tests/. Sources are transpiled by swc; `pnpm build` does the
 * type checking.
 */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@harbor/(?!service-)([a-z-]+)$': '<rootDir>/packages/$1/src' },
  testMatch: ['<rootDir>/{packages,services}/*/src/**/*.test.ts', '<rootDir>/services/core/portal/src/**/*.test.ts', '<rootDir>/prepare/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/tests/support/count-reporter.js'],
};
