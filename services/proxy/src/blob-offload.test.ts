/**
 * The proxy's side of the blob hand-over (`blob-offload` in @harbor/http),
 * against a stand-in registry that announces files under a temporary storage
 * root: only the proxy can ask for a hand-over (a client's X-Harbor-Blob-*
 * headers are dropped) and none of those headers ever reaches a client; the
 * proxy sends exactly the announced bytes (whole, ranged, across chunk
 * boundaries), passes the registry's other answers (401, 416) through, refuses
 * any file outside the root (`..`, absolute, symbolic links out), answers a
 * missing file in the OCI envelope, cuts a transfer whose file shrinks, and
 * never holds a file open after the client leaves.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { tempDir, waitFor, type TempDir } from '@harbor/testkit';
import { silentLogger } from '@harbor/logging';
import type { RunningProxy } from './main';
import { handOverSecret, proxyConfig, send, startProxy, startStandIn, type Seen, type StandIn } from './__tests__/harness';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const blobs = {
  big: digest('a'),
  parent: digest('b'),
  absolute: digest('c'),
  linkOut: digest('d'),
  missing: digest('e'),
  short: digest('f'),
  dirLinkOut: digest('1'),
  denied: digest('2'),
  shrinking: digest('3'),
  statusMismatch: digest('4'),
  huge: digest('5'),
};
const hugeSize = 512 * 1024 * 1024;
const bigBytes = randomBytes(9 * 1024 * 1024 + 123);
const shrinkingSize = 64 * 1024 * 1024;

/** What the stand-in registry announces for each digest: file, and the size it claims. */
const announced: Record<string, { file: string; size: number }> = {
  [blobs.big]: { file: 'blobs/big/data', size: bigBytes.length },
  [blobs.parent]: { file: '../outside/secret', size: 6 },
  [blobs.absolute]: { file: '/etc/passwd', size: 6 },
  [blobs.linkOut]: { file: 'blobs/link/data', size: 6 },
  [blobs.dirLinkOut]: { file: 'blobs/dirlink/secret', size: 6 },
  [blobs.missing]: { file: 'blobs/missing/data', size: 10 },
  [blobs.short]: { file: 'blobs/short/data', size: 1000 },
  [blobs.shrinking]: { file: 'blobs/shrinking/data', size: shrinkingSize },
  [blobs.statusMismatch]: { file: 'blobs/big/data', size: bigBytes.length },
  [blobs.huge]: { file: 'blobs/huge/data', size: hugeSize },
};

function registryStandIn(req: http.IncomingMessage, res: http.ServerResponse, _seen: Seen): void {
  req.resume();
  const match = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  // A header of the family on an ordinary answer: it must not reach the client either.
  res.setHeader('X-Harbor-Blob-Debug', 'internal');
  if (!match || req.method !== 'GET') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ upstream: 'registry', url: req.url }));
    return;
  }
  const [, , blob] = match;
  if (blob === blobs.denied) {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="x"' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    return;
  }
  const entry = announced[blob!];
  if (req.headers['x-harbor-blob-offload'] !== handOverSecret || !entry) {
    res.setHeader('Content-Type', 'text/plain');
    res.end('streamed by the registry');
    return;
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  let offset = 0;
  let length = entry.size;
  res.statusCode = 200;
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), entry.size - 1) : entry.size - 1;
    if (start >= entry.size) {
      res.writeHead(416, { 'Content-Type': 'application/json', 'Content-Range': `bytes */${entry.size}` });
      res.end(JSON.stringify({ errors: [{ code: 'RANGE_INVALID', message: 'requested range not satisfiable' }] }));
      return;
    }
    offset = start;
    length = end - start + 1;
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${entry.size}`);
  }
  if (blob === blobs.statusMismatch) res.statusCode = 404;
  res.setHeader('Docker-Content-Digest', blob!);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('X-Harbor-Blob-File', entry.file);
  res.setHeader('X-Harbor-Blob-Offset', String(offset));
  res.setHeader('X-Harbor-Blob-Length', String(length));
  res.setHeader('Content-Length', '0');
  res.end();
}

interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  complete: boolean;
}

/** A GET that also reports a response cut short (instead of failing), for the tests that expect one. */
function download(port: number, path: string, headers: Record<string, string> = {}, hooks: { onFirstData?: (res: http.IncomingMessage) => void } = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let first = true;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (first) {
          first = false;
          hooks.onFirstData?.(res);
        }
      });
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', reject);
  });
}

const blobUrl = (blob: string, name = 'library/app') => `/v2/${name}/blobs/${blob}`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const leaked = (headers: http.IncomingHttpHeaders) => Object.keys(headers).filter((h) => h.startsWith('x-harbor-blob'));

describe('proxy blob hand-over', () => {
  let storage: TempDir;
  let outside: TempDir;
  let registry: StandIn;
  let core: StandIn;
  let proxy: RunningProxy;
  const logger = silentLogger();

  beforeAll(async () => {
    storage = tempDir('harbor-proxy-blobs-');
    outside = tempDir('harbor-proxy-outside-');
    writeFileSync(join(outside.path, 'secret'), 'SECRET');
    const put = (file: string, content: Buffer | string) => {
      mkdirSync(join(storage.path, file, '..'), { recursive: true });
      writeFileSync(join(storage.path, file), content);
    };
    put('blobs/big/data', bigBytes);
    put('blobs/short/data', 'only a few bytes');
    mkdirSync(join(storage.path, 'blobs', 'link'), { recursive: true });
    symlinkSync(join(outside.path, 'secret'), join(storage.path, 'blobs', 'link', 'data'));
    symlinkSync(outside.path, join(storage.path, 'blobs', 'dirlink'));
    registry = await startStandIn('registry', registryStandIn);
    core = await startStandIn('core');
    proxy = await startProxy(proxyConfig(registry.url, core.url, { blobFiles: { rootDirectory: storage.path } }), logger);
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.close();
    await core.close();
    storage.remove();
    outside.remove();
  });
  beforeEach(() => {
    registry.seen.length = 0;
  });

  it('asks the registry for a hand-over on a blob GET, then sends the file\'s bytes with the registry\'s headers', async () => {
    const answer = await download(proxy.port, blobUrl(blobs.big));
    expect(answer.status).toBe(200);
    expect(answer.complete).toBe(true);
    expect(sha256(answer.body)).toBe(sha256(bigBytes));
    expect(answer.headers['content-length']).toBe(String(bigBytes.length));
    expect(answer.headers['docker-content-digest']).toBe(blobs.big);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(leaked(answer.headers)).toEqual([]);
    expect(registry.seen[0]!.headers['x-harbor-blob-offload']).toBe(handOverSecret);
  });

  it('sends exactly the announced range with 206 and Content-Range, across chunk boundaries', async () => {
    // The proxy reads and writes 4 MiB at a time: this range starts in the first chunk and ends in the third.
    const start = 4 * 1024 * 1024 - 7;
    const end = 8 * 1024 * 1024 + 11;
    const answer = await download(proxy.port, blobUrl(blobs.big), { Range: `bytes=${start}-${end}` });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe(`bytes ${start}-${end}/${bigBytes.length}`);
    expect(answer.headers['content-length']).toBe(String(end - start + 1));
    expect(answer.body.equals(bigBytes.subarray(start, end + 1))).toBe(true);

    const tail = await download(proxy.port, blobUrl(blobs.big), { Range: `bytes=${bigBytes.length - 1}-` });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(bigBytes.subarray(bigBytes.length - 1))).toBe(true);
    expect(leaked(tail.headers)).toEqual([]);
  });

  it('serves many transfers at once and one after another from reused buffers, each byte for byte', async () => {
    // More at once than buffer pairs are kept, whole and ranged, then again: a pair handed to the next
    // transfer while a write of its last one was pending would show up as wrong bytes here.
    const ranges = [undefined, 'bytes=5-', 'bytes=4194300-8388620', undefined, 'bytes=0-4194303', 'bytes=100-2097258', undefined, 'bytes=1-9437306', undefined];
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(ranges.map((range) => download(proxy.port, blobUrl(blobs.big), range ? { Range: range } : {})));
      answers.forEach((answer, i) => {
        const range = ranges[i];
        const [from, to] = range ? range.slice(6).split('-').map((n) => (n === '' ? bigBytes.length - 1 : Number(n))) : [0, bigBytes.length - 1];
        expect(answer.complete).toBe(true);
        expect(sha256(answer.body)).toBe(sha256(bigBytes.subarray(from, to! + 1)));
      });
    }
  });

  it('passes the registry\'s 416 through with its body and Content-Range', async () => {
    const answer = await download(proxy.port, blobUrl(blobs.big), { Range: `bytes=${bigBytes.length}-` });
    expect(answer.status).toBe(416);
    expect(answer.headers['content-range']).toBe(`bytes */${bigBytes.length}`);
    expect(JSON.parse(answer.body.toString())).toEqual({ errors: [{ code: 'RANGE_INVALID', message: 'requested range not satisfiable' }] });
    expect(leaked(answer.headers)).toEqual([]);
  });

  it('passes a refusal through untouched', async () => {
    const answer = await download(proxy.port, blobUrl(blobs.denied));
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="x"');
    expect(JSON.parse(answer.body.toString()).errors[0].code).toBe('UNAUTHORIZED');
    expect(leaked(answer.headers)).toEqual([]);
  });

  it('drops X-Harbor-Blob-* headers a client sends, and asks for a hand-over only on blob GETs', async () => {
    const forged = { 'X-Harbor-Blob-Offload': '1', 'X-Harbor-Blob-File': 'blobs/big/data', 'X-Harbor-Blob-Length': '5' };
    await send(proxy.port, '/v2/library/app/manifests/latest', { headers: forged });
    await send(proxy.port, blobUrl(blobs.big), { method: 'HEAD', headers: forged });
    await send(proxy.port, '/v2/library/app/blobs/uploads/some-uuid', { headers: forged });
    await send(proxy.port, '/api/v2.0/projects', { headers: forged });
    for (const seen of [...registry.seen, ...core.seen]) {
      expect(Object.keys(seen.headers).filter((h) => h.startsWith('x-harbor-blob'))).toEqual([]);
    }
    registry.seen.length = 0;
    await download(proxy.port, blobUrl(blobs.big), { 'X-Harbor-Blob-Offload': '0', 'X-Harbor-Blob-File': '../x' });
    expect(registry.seen[0]!.headers['x-harbor-blob-offload']).toBe(handOverSecret);
    expect(registry.seen[0]!.headers['x-harbor-blob-file']).toBeUndefined();
  });

  it('never lets X-Harbor-Blob-* headers out, on any answer', async () => {
    for (const path of ['/v2/', '/v2/library/app/manifests/latest', blobUrl(blobs.denied)]) {
      const answer = await send(proxy.port, path);
      expect(answer.headers['x-harbor-blob-debug']).toBeUndefined();
      expect(leaked(answer.headers)).toEqual([]);
    }
  });

  it.each([
    ['a parent path', blobs.parent],
    ['an absolute path', blobs.absolute],
    ['a symbolic link out of the root', blobs.linkOut],
    ['a directory link out of the root', blobs.dirLinkOut],
  ])('refuses %s with a 500 in the OCI envelope and sends nothing of it', async (_what, blob) => {
    const answer = await download(proxy.port, blobUrl(blob));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString())).toEqual({ errors: [{ code: 'UNKNOWN', message: 'blob could not be read' }] });
    expect(answer.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(answer.body.toString()).not.toContain('SECRET');
    expect(leaked(answer.headers)).toEqual([]);
  });

  it('refuses a hand-over on a status that is not 200 or 206', async () => {
    const answer = await download(proxy.port, blobUrl(blobs.statusMismatch));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString()).errors[0].code).toBe('UNKNOWN');
  });

  it('answers BLOB_UNKNOWN in the OCI envelope when the file is gone or shorter than announced, and keeps serving', async () => {
    for (const blob of [blobs.missing, blobs.short]) {
      const answer = await download(proxy.port, blobUrl(blob));
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body.toString())).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
      expect(leaked(answer.headers)).toEqual([]);
    }
    const next = await download(proxy.port, blobUrl(blobs.big));
    expect(sha256(next.body)).toBe(sha256(bigBytes));
  });

  it('cuts the response short when the file shrinks mid-transfer, instead of padding or hanging', async () => {
    const file = join(storage.path, 'blobs', 'shrinking', 'data');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, Buffer.alloc(shrinkingSize, 7));
    const answer = await download(proxy.port, blobUrl(blobs.shrinking), {}, {
      onFirstData: (res) => {
        res.pause();
        truncateSync(file, 1024 * 1024);
        setTimeout(() => res.resume(), 50);
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(shrinkingSize));
    expect(answer.complete).toBe(false);
    expect(answer.body.length).toBeLessThan(shrinkingSize);
    rmSync(file);
  });

  it('sends half a gigabyte with a fixed, small amount of memory', async () => {
    // A sparse file: no disk needed, and reading it costs little.
    const file = join(storage.path, 'blobs', 'huge', 'data');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '');
    truncateSync(file, hugeSize);
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
    global.gc?.();
    const base = used();
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, used())), 20);
    let received = 0;
    try {
      received = await new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: proxy.port, path: blobUrl(blobs.huge), agent: false }, (res) => {
            let n = 0;
            res.on('data', (c: Buffer) => (n += c.length));
            res.on('end', () => resolve(n));
            res.on('error', reject);
          })
          .on('error', reject);
      });
    } finally {
      clearInterval(timer);
      rmSync(file);
    }
    expect(received).toBe(hugeSize);
    // The client's own chunks are garbage too; anything near the file's size would mean buffering.
    expect(peak - base).toBeLessThan(96 * 1024 * 1024);
  }, 60_000);

  it('closes the file when the client goes away mid-transfer', async () => {
    const file = join(storage.path, 'blobs', 'shrinking', 'data');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, Buffer.alloc(shrinkingSize, 9));
    const openOnFile = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
    const openWhileSending = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: proxy.port, path: blobUrl(blobs.shrinking), agent: false }, (res) => {
        res.once('data', () => {
          const count = openOnFile();
          req.destroy();
          resolve(count);
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    });
    expect(openWhileSending).toBe(1);
    await waitFor('the file to be closed', () => openOnFile() === 0, { timeoutMs: 5000 });
    rmSync(file);
  });
});

describe('proxy blob hand-over before the storage root exists', () => {
  it('lets the registry stream until the root appears, then asks for hand-overs', async () => {
    const parent = tempDir('harbor-proxy-late-root-');
    const root = join(parent.path, 'registry');
    const registry = await startStandIn('registry', registryStandIn);
    const core = await startStandIn('core');
    const proxy = await startProxy(proxyConfig(registry.url, core.url, { blobFiles: { rootDirectory: root } }));
    try {
      const early = await download(proxy.port, blobUrl(blobs.big));
      expect(early.body.toString()).toBe('streamed by the registry');
      expect(registry.seen[0]!.headers['x-harbor-blob-offload']).toBeUndefined();

      mkdirSync(join(root, 'blobs', 'big'), { recursive: true });
      writeFileSync(join(root, 'blobs', 'big', 'data'), bigBytes);
      const later = await download(proxy.port, blobUrl(blobs.big));
      expect(sha256(later.body)).toBe(sha256(bigBytes));
    } finally {
      await proxy.stop();
      await registry.close();
      await core.close();
      parent.remove();
    }
  });

  it('never asks for a hand-over without a configured root', async () => {
    const registry = await startStandIn('registry', registryStandIn);
    const core = await startStandIn('core');
    const proxy = await startProxy(proxyConfig(registry.url, core.url));
    try {
      const answer = await download(proxy.port, blobUrl(blobs.big), { 'X-Harbor-Blob-Offload': '1' });
      expect(answer.body.toString()).toBe('streamed by the registry');
      expect(registry.seen[0]!.headers['x-harbor-blob-offload']).toBeUndefined();
      expect(leaked(answer.headers)).toEqual([]);
    } finally {
      await proxy.stop();
      await registry.close();
      await core.close();
    }
  });
});
