import http from 'node:http';
import { createHash } from 'node:crypto';
import { generated, generatedSha } from './__tests__/generated-bytes';
import { proxyBetweenStandIns } from './__tests__/harness';

/**
 * Half a gigabyte each way through the proxy, generated and consumed on the
 * fly. Everything runs in this process, so if the proxy buffered a body the
 * heap and external memory would grow by about its size; the bound below is
 * a small fraction of it.
 */
const total = 512 * 1024 * 1024;
const allowedGrowth = 128 * 1024 * 1024;

/** Samples heap + external memory while `work` runs and reports the peak growth over the start. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  global.gc?.();
  const used = () => {
    const m = process.memoryUsage();
    // `external` includes the Buffers' memory (arrayBuffers), which is where a buffered body would sit.
    return m.heapUsed + m.external;
  };
  const base = used();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, used()) - base;
}

describe('proxy streaming', () => {
  const digest = generatedSha(total);
  const upstreams = proxyBetweenStandIns({
    registry: (req, res, seen) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(total) });
        generated(total).pipe(res);
        return;
      }
      const hash = createHash('sha256');
      req.on('data', (chunk: Buffer) => {
        seen.bodyBytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => res.end(JSON.stringify({ bytes: seen.bodyBytes, digest: hash.digest('hex') })));
    },
  });

  it('streams a 512 MiB upload to the registry without holding it in memory', async () => {
    let answer = '';
    const growth = await peakGrowth(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port: upstreams.proxy.port, method: 'PUT', path: '/v2/library/big/blobs/uploads/1?digest=x', agent: false },
            (res) => {
              res.setEncoding('utf8');
              res.on('data', (d: string) => (answer += d));
              res.on('end', resolve);
            },
          );
          req.on('error', reject);
          generated(total).pipe(req);
        }),
    );
    expect(JSON.parse(answer)).toEqual({ bytes: total, digest });
    expect(growth).toBeLessThan(allowedGrowth);
  }, 120_000);

  it('streams a 512 MiB download from the registry without holding it in memory', async () => {
    let bytes = 0;
    const hash = createHash('sha256');
    const growth = await peakGrowth(
      () =>
        new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: upstreams.proxy.port, path: '/v2/library/big/blobs/sha256:x', agent: false }, (res) => {
              res.on('data', (chunk: Buffer) => {
                bytes += chunk.length;
                hash.update(chunk);
              });
              res.on('end', resolve);
              res.on('error', reject);
            })
            .on('error', reject);
        }),
    );
    expect(bytes).toBe(total);
    expect(hash.digest('hex')).toBe(digest);
    expect(growth).toBeLessThan(allowedGrowth);
  }, 120_000);
});
