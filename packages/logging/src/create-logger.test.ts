/**
 * What a service's logger writes to stdout: everything its level lets
 * through when there is no collector, only warnings and above when syslog
 * carries every line to the collector.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@harbor/testkit';

/** Runs a logger in a child process and returns its stdout. */
async function stdoutOf(syslogPort: number | null): Promise<string> {
  const syslog = syslogPort === null ? 'null' : `{ host: '127.0.0.1', port: ${syslogPort}, protocol: 'udp' }`;
  const script = `
    const swc = require('@swc/core');
    require.extensions['.ts'] = (m, file) => m._compile(swc.transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, file);
    const { createLogger } = require(${JSON.stringify(join(__dirname, 'index.ts'))});
    const logger = createLogger({ service: 'svc', level: 'info', stdout: true, syslog: ${syslog} });
    logger.debug('debug line');
    logger.info('info line');
    logger.notice('notice line');
    logger.warn('warn line');
    logger.error('error line');
  `;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..', '..'), timeout: 15_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
}

describe('logger stdout', () => {
  it('carries every line the level lets through when there is no syslog', async () => {
    const lines = (await stdoutOf(null)).trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'info [svc] info line',
      'notice [svc] notice line',
      'warn [svc] warn line',
      'error [svc] error line',
    ]);
  });

  it('carries only warnings and above beside syslog', async () => {
    const lines = (await stdoutOf(await freePort())).trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['warn [svc] warn line', 'error [svc] error line']);
  });
});
