const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');

const services = ['proxy', 'registry', 'core', 'jobservice', 'log'];

/**
 * Dependencies point one way: services -> packages, never service -> service
 * and never package -> service.
 */
const oneWay = [
  ...services.map((service) => ({
    target: `./services/${service}`,
    from: './services',
    except: [`./${service}`],
    message: 'services never import each other: share code through packages/ and talk over HTTP, queues or syslog',
  })),
  { target: './packages', from: './services', message: 'packages must not depend on services' },
];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'services/core/portal/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import/no-restricted-paths': ['error', { zones: oneWay }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@harbor/service-*'], message: 'services never import each other' }] }],
    },
  },
);
