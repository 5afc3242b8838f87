import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as `key.path: what was wrong`, one per line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Reads and validates a service's JSON config; fails fast naming the bad key. */
export function loadServiceConfig<S extends z.ZodTypeAny>(schema: S, path: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid config ${path}:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** `--config <path>` from argv, or HARBOR_CONFIG, as every service's main takes it. */
export function configPathFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): string {
  const i = argv.indexOf('--config');
  const path = i >= 0 ? argv[i + 1] : env.HARBOR_CONFIG;
  if (!path) throw new ConfigError('no config given: pass --config <path> or set HARBOR_CONFIG');
  return path;
}

/** Reads a secret file (internal secret, keys) and trims the trailing newline. */
export function readSecret(path: string): string {
  return readFileSync(path, 'utf8').trim();
}
