import { resolve } from 'node:path';
import { ESLint } from 'eslint';

jest.setTimeout(60_000);

const root = resolve(__dirname, '..', '..');

async function lint(filePath: string, code: string): Promise<string[]> {
  // The config is handed over directly: ESLint's own loader uses a dynamic import jest cannot run.
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: require(resolve(root, 'eslint.config.js')) });
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// The rule resolves imports (as code that compiles always can), so the targets here are files that exist.
describe('the lint rule that keeps dependencies pointing one way', () => {
  it('refuses a service importing another service by relative path', async () => {
    const messages = await lint('services/core/src/sneaky.ts', "import manifest from '../../registry/package.json';\nexport const x = manifest;\n");
    expect(messages.join('\n')).toMatch(/import\/no-restricted-paths: .*services never import each other/);
  });

  it('refuses a service importing another service by package name', async () => {
    const messages = await lint('services/proxy/src/sneaky.ts', "import * as core from '@harbor/service-core';\nexport const x = core;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('refuses a shared package importing a service', async () => {
    const messages = await lint('packages/auth/src/sneaky.ts', "import manifest from '../../../services/core/package.json';\nexport const x = manifest;\n");
    expect(messages.join('\n')).toMatch(/packages must not depend on services/);
  });

  it('allows a service importing shared packages and its own files', async () => {
    const messages = await lint(
      'services/core/src/fine.ts',
      "import { AppError } from '@harbor/errors';\nimport { start } from './main';\nexport const x = [AppError, start];\n",
    );
    expect(messages.filter((m) => /restricted/.test(m))).toEqual([]);
  });
});
