import { ChildProcess, spawn } from 'node:child_process';
import { tempDir, waitFor } from '@harbor/testkit';

export interface S3TestServer {
  endpoint: string;
  /** Creates a bucket and answers its name. */
  createBucket(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * s3rver in a child process of its own. Not in the test's process: s3rver
 * signs its list continuation tokens with DES, which node 20's OpenSSL only
 * allows with the legacy provider, a process-wide switch.
 */
export async function startS3rver(): Promise<S3TestServer> {
  const dir = tempDir('harbor-s3rver-');
  const script = `
    const S3rver = require(${JSON.stringify(require.resolve('s3rver'))});
    new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(dir.path)} })
      .run()
      .then((address) => process.stdout.write('PORT ' + address.port + '\\n'), (err) => { console.error(err); process.exit(1); });
  `;
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await waitFor('s3rver to listen', () => /PORT (\d+)/.exec(output)?.[1], { timeoutMs: 20_000 });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    async createBucket(name) {
      const response = await fetch(`${endpoint}/${name}`, { method: 'PUT' });
      if (!response.ok) throw new Error(`creating bucket ${name}: ${response.status} ${await response.text()}`);
      return name;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      dir.remove();
    },
  };
}
