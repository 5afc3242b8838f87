import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogConfig } from '@harbor/config';
import { tempDir, TempDir, waitFor } from '@harbor/testkit';
import { RunningCollector, start } from '../main';

export interface Harness {
  dir: TempDir;
  collector: RunningCollector;
  config: LogConfig;
  /** `<temp dir>/logs`, so a file escaping it would show up next to it. */
  logDirectory: string;
  read(name: string): string;
  /** Waits until `<name>` holds a line containing `text`, and returns that line. */
  waitForLine(name: string, text: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** A collector of its own on free ports (port 0) writing to a fresh temporary directory. */
export async function startCollector(overrides: Partial<Pick<LogConfig, 'rotateCount' | 'rotateSizeBytes'>> = {}): Promise<Harness> {
  const dir = tempDir('harbor-log-it-');
  const logDirectory = join(dir.path, 'logs');
  const config: LogConfig = {
    listen: { host: '127.0.0.1', udpPort: 0, tcpPort: 0 },
    logDirectory,
    rotateCount: overrides.rotateCount ?? 5,
    rotateSizeBytes: overrides.rotateSizeBytes ?? 10 * 1024 * 1024,
    log: { service: 'log', level: 'info', syslog: null, stdout: false },
  };
  const collector = await start(config);
  const read = (name: string) => {
    const path = join(logDirectory, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  };
  return {
    dir,
    collector,
    config,
    logDirectory,
    read,
    waitForLine: (name, text, timeoutMs = 10_000) =>
      waitFor(`${name} to contain ${JSON.stringify(text)}`, () => read(name).split('\n').find((l) => l.includes(text)), { timeoutMs, intervalMs: 50 }),
    async stop() {
      await collector.stop();
      dir.remove();
    },
  };
}
