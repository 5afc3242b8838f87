import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buildRegistry, createSite, pullDigest, RegistryProcess, SharedSite, startUpload, streamRequest } from './registry-processes';

/**
 * Slow on purpose (about 1-3 minutes here): a 2 GiB layer, generated on the
 * fly, is pushed in one streamed PATCH and pulled back through a registry
 * child process whose resident memory is sampled all along. Blob bytes are
 * streamed end to end, so it must stay far below the layer's size.
 */
jest.setTimeout(900_000);

const name = 'library/huge';
const layerBytes = 2 * 1024 * 1024 * 1024;
const rssLimitBytes = 200 * 1024 * 1024;
let site: SharedSite;
let registry: RegistryProcess;

beforeAll(async () => {
  buildRegistry();
  site = await createSite();
  registry = await site.spawn();
});
afterAll(async () => {
  await site?.cleanup();
});

function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** 2 GiB of bytes that differ from block to block, hashed as they are produced. */
function generatedLayer(hash: ReturnType<typeof createHash>): Readable {
  const block = randomBytes(1024 * 1024);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= layerBytes) return void this.push(null);
      const chunk = Buffer.from(block);
      chunk.writeBigUInt64BE(BigInt(produced), 0);
      produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

it('pushes and pulls a 2 GiB layer with the registry under 200 MiB of RSS, digest intact', async () => {
  const auth = site.bearer(name);
  let peak = rssOf(registry.pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(registry.pid));
  }, 100);
  try {
    const started = Date.now();
    const hash = createHash('sha256');
    const location = await startUpload(registry, name, auth);
    const patch = await streamRequest(location, 'PATCH', { Authorization: auth, 'Content-Type': 'application/octet-stream' }, generatedLayer(hash));
    expect(patch.status).toBe(202);
    expect(patch.headers.range).toBe(`0-${layerBytes - 1}`);
    const digest = `sha256:${hash.digest('hex')}`;
    const finishUrl = new URL(String(patch.headers.location), registry.url);
    finishUrl.searchParams.set('digest', digest);
    const put = await streamRequest(finishUrl.toString(), 'PUT', { Authorization: auth, 'Content-Length': '0' }, null);
    expect(put.status).toBe(201);
    const pushed = Date.now();

    const pulled = await pullDigest(`${registry.url}/v2/${name}/blobs/${digest}`, auth);
    expect(pulled).toEqual({ status: 200, digest, size: layerBytes });
    const done = Date.now();
    console.log(
      `2 GiB layer: push ${((pushed - started) / 1000).toFixed(1)} s, pull ${((done - pushed) / 1000).toFixed(1)} s, ` +
        `registry peak RSS ${(peak / 1024 / 1024).toFixed(0)} MiB`,
    );
  } finally {
    clearInterval(sampler);
  }
  expect(peak).toBeLessThan(rssLimitBytes);
});
