import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a real client binary to its end (killed past `timeoutMs`); never
 * throws on a non-zero exit, so tests can assert on refusals. A process
 * ended by a signal reports 128.
 */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Stdin only when there is input: a tool that exits without reading it (logger) must not meet EPIPE.
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the tool may exit before reading all of it
      child.stdin.end(options.input);
    }
  });
}

/** Fails with the command's own words (the ends of its output) when it did not succeed. */
export function ok(result: CommandResult, what: string): CommandResult {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-2000)}`);
  return result;
}
