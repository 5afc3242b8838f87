#!/usr/bin/env node
/**
 * prepare: renders every service's config (and docker-compose.yml) from
 * harbor.cfg. The work is in prepare/; this file only reads the command line
 * and turns the outcome into output and an exit code:
 *   0  done (or, with --check, nothing would change)
 *   1  harbor.cfg is invalid, or prepare failed
 *   2  bad command line
 *   3  --check: something would change
 */
import { HarborCfgError, runPrepare, type PrepareOptions } from './prepare/index';

const usage = `usage: node dist/prepare.js [--config harbor.cfg] [--out common/config]
                          [--compose docker-compose.yml | --no-compose]
                          [--mode native|compose] [--check]`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

export function parseArgs(argv: string[]): PrepareOptions | string {
  const options: PrepareOptions = { cfgPath: 'harbor.cfg', outDir: 'common/config', composePath: 'docker-compose.yml', mode: 'native', check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--config') options.cfgPath = value();
      else if (arg === '--out') options.outDir = value();
      else if (arg === '--compose') options.composePath = value();
      else if (arg === '--no-compose') options.composePath = null;
      else if (arg === '--check') options.check = true;
      else if (arg === '--mode') {
        const mode = value();
        if (mode !== 'native' && mode !== 'compose') return `--mode must be native or compose, got ${JSON.stringify(mode)}`;
        options.mode = mode;
      } else return `unknown argument ${JSON.stringify(arg)}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  return options;
}

export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage);
    return 0;
  }
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    io.err(`prepare: ${options}\n${usage}`);
    return 2;
  }
  try {
    const result = await runPrepare(options);
    const verb = options.check ? 'would write' : 'wrote';
    for (const path of result.written) io.out(`${verb} ${path}`);
    io.out(`${options.check ? 'check: ' : ''}${result.written.length} ${verb === 'wrote' ? 'written' : 'to change'}, ${result.unchanged.length} unchanged`);
    return options.check && result.written.length > 0 ? 3 : 0;
  } catch (err) {
    if (err instanceof HarborCfgError) {
      io.err(err.message);
      io.err(`prepare: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} in ${err.file}; nothing was written`);
    } else {
      io.err(`prepare: ${(err as Error).message}`);
    }
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
