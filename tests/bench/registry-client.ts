import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { run } from './process';

/**
 * The bench's own minimal OCI client (Node http, keep-alive): enough of the
 * distribution protocol to push blobs monolithically (POST + PUT) or in
 * chunks (POST, PATCH…, PUT) and to put manifests. Pulls go through curl.
 */
export interface Registry {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** The `Authorization` value for a repository scope, or undefined when the registry wants none. */
  authorization(repository: string, actions: 'pull' | 'pull,push'): Promise<string | undefined>;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function destroyAgent(): void {
  agent.destroy();
}

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * One request; the body (if any) is written whole, Node streams it out in
 * socket-sized pieces. A kept-alive socket the server closed while it sat
 * idle (the other target was being measured meanwhile) is retried once on a
 * new one, as Node's documentation advises for `reusedSocket`.
 */
export async function send(url: string, method: string, headers: Record<string, string | undefined>, body?: Buffer): Promise<Reply> {
  try {
    return await sendOnce(url, method, headers, body);
  } catch (err) {
    if ((err as { staleSocket?: boolean }).staleSocket) return sendOnce(url, method, headers, body);
    throw err;
  }
}

function sendOnce(url: string, method: string, headers: Record<string, string | undefined>, body?: Buffer): Promise<Reply> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') return Promise.reject(new Error(`the bench only talks to 127.0.0.1, not ${target.hostname}`));
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) clean[k] = v;
  if (body) clean['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method, headers: clean, agent, timeout: 120_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target.pathname}: no answer in 120 s`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (req.reusedSocket && err.code === 'ECONNRESET') Object.assign(err, { staleSocket: true });
      reject(err);
    });
    req.end(body);
  });
}

function expect(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status}: ${reply.body.toString().slice(0, 500)}`);
  return reply;
}

/** The upload URL from a Location header (relative for ours, absolute for Distribution), with extra query parameters. */
export function uploadUrl(base: string, location: string | undefined, extra: Record<string, string> = {}): string {
  if (!location) throw new Error('upload answer without Location');
  const url = new URL(location, base);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.toString();
}

async function startUpload(registry: Registry, repository: string, auth: string | undefined): Promise<string> {
  const reply = expect(
    await send(`${registry.url}/v2/${repository}/blobs/uploads/`, 'POST', { Authorization: auth, 'Content-Length': '0' }),
    202,
    `start upload in ${repository}`,
  );
  return reply.headers.location as string;
}

const octets = 'application/octet-stream';

/** POST, then one PUT ?digest= carrying the whole blob. */
export async function pushMonolithic(registry: Registry, repository: string, blob: Buffer, digest: string): Promise<void> {
  const auth = await registry.authorization(repository, 'pull,push');
  const location = await startUpload(registry, repository, auth);
  expect(
    await send(uploadUrl(registry.url, location, { digest }), 'PUT', { Authorization: auth, 'Content-Type': octets }, blob),
    201,
    `PUT ${digest.slice(0, 19)} to ${repository}`,
  );
}

/** POST, one PATCH per `chunkSize` bytes (with Content-Range), then PUT ?digest= without a body. */
export async function pushChunked(registry: Registry, repository: string, blob: Buffer, digest: string, chunkSize: number): Promise<number> {
  const auth = await registry.authorization(repository, 'pull,push');
  let location = await startUpload(registry, repository, auth);
  let patches = 0;
  for (let start = 0; start < blob.length; start += chunkSize) {
    const chunk = blob.subarray(start, Math.min(blob.length, start + chunkSize));
    const reply = expect(
      await send(
        uploadUrl(registry.url, location),
        'PATCH',
        { Authorization: auth, 'Content-Type': octets, 'Content-Range': `${start}-${start + chunk.length - 1}` },
        chunk,
      ),
      202,
      `PATCH at ${start} in ${repository}`,
    );
    location = reply.headers.location as string;
    patches++;
  }
  expect(
    await send(uploadUrl(registry.url, location, { digest }), 'PUT', { Authorization: auth, 'Content-Length': '0' }),
    201,
    `finish chunked upload in ${repository}`,
  );
  return patches;
}

export async function putManifest(registry: Registry, repository: string, reference: string, manifest: Buffer, mediaType: string): Promise<void> {
  const auth = await registry.authorization(repository, 'pull,push');
  expect(
    await send(`${registry.url}/v2/${repository}/manifests/${reference}`, 'PUT', { Authorization: auth, 'Content-Type': mediaType }, manifest),
    201,
    `PUT manifest ${repository}:${reference}`,
  );
}

export const ociManifest = 'application/vnd.oci.image.manifest.v1+json';

/** A small image (config + one 1 KiB layer) under `tags`; answers the manifest's digest. */
export async function pushSmallImage(registry: Registry, repository: string, tags: string[]): Promise<string> {
  const layer = randomBytes(1024);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  for (const blob of [layer, config]) await pushMonolithic(registry, repository, blob, sha256(blob));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
    }),
  );
  for (const tag of tags) await putManifest(registry, repository, tag, manifest, ociManifest);
  return sha256(manifest);
}

/**
 * Pushes 1 KiB blobs (POST + PUT each) from `concurrency` workers until
 * `count` are done or `seconds` have passed; answers completed pushes per second.
 */
export async function smallBlobPushes(
  registry: Registry,
  repository: string,
  count: number,
  concurrency: number,
  seconds: number,
): Promise<{ rate: number; pushes: number }> {
  const blobs = Array.from({ length: count }, () => randomBytes(1024));
  const digests = blobs.map(sha256);
  await registry.authorization(repository, 'pull,push');
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(seconds * 1e9);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count && process.hrtime.bigint() < deadline) {
      const i = next++;
      await pushMonolithic(registry, repository, blobs[i]!, digests[i]!);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: done / elapsed, pushes: done };
}

/**
 * `parallel` curl processes GET the same blob at once; answers the bytes
 * moved and the wall time from the first start to the last end.
 */
export async function pullBlob(registry: Registry, repository: string, digest: string, size: number, parallel: number): Promise<{ bytes: number; seconds: number }> {
  const auth = await registry.authorization(repository, 'pull');
  const url = `${registry.url}/v2/${repository}/blobs/${digest}`;
  const args = ['-sS', '--max-time', '120', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', ...(auth ? ['-H', `Authorization: ${auth}`] : []), url];
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: parallel }, () => run('curl', args, { timeoutMs: 130_000 })));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let bytes = 0;
  for (const result of results) {
    const [status, downloaded] = result.stdout.trim().split(' ');
    if (result.code !== 0 || status !== '200' || Number(downloaded) !== size) {
      throw new Error(`pull of ${digest.slice(0, 19)} from ${repository}: exit ${result.code}, status ${status}, ${downloaded} of ${size} bytes ${result.stderr}`);
    }
    bytes += size;
  }
  return { bytes, seconds };
}
