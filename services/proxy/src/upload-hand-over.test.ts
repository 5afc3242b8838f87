/**
 * The proxy's side of the upload hand-over (`upload-offload` in @harbor/http),
 * against a stand-in registry that creates the upload file under a temporary
 * storage root, offers it with a raw `103`, reads the proxy's report lines
 * and answers. Covered: the exact bytes land at the offset (Content-Length,
 * chunked, 100-continue), the reports, body mode, refusals before the offer,
 * hostile offers, the limit, a client or a registry that goes away, header
 * hygiene both ways, bounded memory on 512 MiB, the datasync kicks (direct
 * writes off) and a large body written past the page cache (direct writes on).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { silentLogger } from '@harbor/logging';
import { tempDir, waitFor, type TempDir } from '@harbor/testkit';
import type { RunningProxy } from './main';
import { handOverSecret, proxyConfig, send, startProxy, startStandIn, type StandIn } from './__tests__/harness';
import { generated, generatedBytes, generatedSha } from './__tests__/generated-bytes';
import {
  clockTick,
  expectProgress,
  registryStandIn,
  stalling,
  upload,
  type Handled,
  type Upload,
} from './__tests__/upload-stand-in';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const leaked = (headers: http.IncomingHttpHeaders) => Object.keys(headers).filter((h) => h.startsWith('x-harbor-upload'));
const ociNoPath = { errors: [{ code: 'UNKNOWN', message: 'upload could not be stored' }] };

describe('proxy upload hand-over', () => {
  let storage: TempDir;
  let outside: TempDir;
  let registry: StandIn;
  let core: StandIn;
  let proxy: RunningProxy;
  const handled = new Map<string, Handled>();
  const logger = silentLogger();
  const dataOf = (uuid: string) => readFileSync(join(storage.path, 'uploads', uuid, 'data'));
  const sizeOf = (uuid: string) => statSync(join(storage.path, 'uploads', uuid, 'data')).size;

  beforeAll(async () => {
    storage = tempDir('harbor-proxy-uploads-');
    outside = tempDir('harbor-proxy-outside-');
    mkdirSync(join(storage.path, 'uploads'));
    registry = await startStandIn('registry', registryStandIn(storage.path, handled));
    core = await startStandIn('core');
    proxy = await startProxy(proxyConfig(registry.url, core.url, { uploadFiles: { rootDirectory: storage.path, minBytes: 1, pauseAfterRefusals: 1_000_000, pauseSeconds: 60, directWrites: true } }), logger);
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

  it('writes a Content-Length body at the offset, reports progress and the end, and relays the answer without any hand-over header or 1xx', async () => {
    const body = randomBytes(9 * MiB + 123);
    const forged = { 'X-Harbor-Upload-Mode': 'file', 'X-Harbor-Upload-File': '../x', 'X-Harbor-Upload-Offload': '0', 'X-Harbor-Upload-Length': '5' };
    const answer = await upload(proxy.port, 'cl', { body, headers: { ...forged, 'x-test-offset': '1000' } });
    expect(answer.status).toBe(202);
    const entry = handled.get('cl')!;
    expect(sha256(dataOf(entry.uuid))).toBe(sha256(Buffer.concat([Buffer.alloc(1000, 0x5a), body])));
    expectProgress(entry.reports, body.length);
    expect(entry.reports.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(answer.body)).toEqual({ reports: entry.reports });
    expect(answer.headers['docker-upload-uuid']).toBe(entry.uuid);
    expect(answer.headers.range).toBe(`0-${1000 + body.length - 1}`);
    expect(answer.headers.connection).toBe('keep-alive');
    expect(answer.closed).toBe(false);
    expect(leaked(answer.headers)).toEqual([]);
    expect(answer.informational).toEqual([]);
    const upstream = registry.seen[0]!.headers;
    expect(upstream['x-harbor-upload-offload']).toBe(handOverSecret);
    expect(upstream['x-harbor-upload-length']).toBe(String(body.length));
    expect(upstream['x-harbor-upload-mode']).toBeUndefined();
    expect(upstream['x-harbor-upload-file']).toBeUndefined();
    expect(upstream['content-length']).toBeUndefined();
    expect(upstream['transfer-encoding']).toBe('chunked');
    expect(upstream['x-request-id']).toBe(answer.headers['x-request-id']);
    expect(upstream['x-forwarded-proto']).toBe('http');
  });

  it('passes the client\'s length on in canonical digits (leading zeros are no reason to refuse)', async () => {
    const body = randomBytes(5000);
    const answer = await upload(proxy.port, 'zeros', { body: [body], headers: { 'content-length': `00000000000000000${body.length}` } });
    expect(answer.status).toBe(202);
    const upstream = registry.seen.find((r) => r.headers['x-test-id'] === 'zeros')!.headers;
    expect(upstream['x-harbor-upload-length']).toBe(String(body.length));
    expect(sha256(dataOf(handled.get('zeros')!.uuid))).toBe(sha256(body));
  });

  it('writes a chunked body at the offset, with no announced length', async () => {
    const pieces = [randomBytes(1), randomBytes(3 * MiB + 7), randomBytes(64 * 1024), randomBytes(5 * MiB), randomBytes(2 * MiB + 1)];
    const body = Buffer.concat(pieces);
    const answer = await upload(proxy.port, 'chunked', { body: pieces, headers: { 'x-test-offset': '7' } });
    expect(answer.status).toBe(202);
    const entry = handled.get('chunked')!;
    expect(sha256(dataOf(entry.uuid))).toBe(sha256(Buffer.concat([Buffer.alloc(7, 0x5a), body])));
    expectProgress(entry.reports, body.length);
    expect(registry.seen[0]!.headers['x-harbor-upload-length']).toBeUndefined();
    expect(leaked(answer.headers)).toEqual([]);
  });

  it('sends 100 Continue only once the registry offered, then takes the body', async () => {
    const body = randomBytes(2 * MiB + 5);
    const answer = await upload(proxy.port, 'continue', { body, expectContinue: true, headers: { 'x-test-offset': '3' } });
    expect(answer.status).toBe(202);
    const entry = handled.get('continue')!;
    expect(answer.continueAt).toBeGreaterThan(entry.offerAt!);
    expect(sha256(dataOf(entry.uuid))).toBe(sha256(Buffer.concat([Buffer.alloc(3, 0x5a), body])));
    expect(entry.reports).toEqual([{ kind: 'end', written: body.length }]);
    expect(answer.informational).toEqual([]);
  });

  it('handles POST ?digest= (monolithic) and PUT the same way', async () => {
    const body = randomBytes(100_000);
    for (const [id, method, path] of [
      ['post', 'POST', '/v2/library/app/blobs/uploads/?digest=sha256:abc'],
      ['put', 'PUT', '/v2/library/app/blobs/uploads/u1?digest=sha256:abc'],
    ] as const) {
      const answer = await upload(proxy.port, id, { method, path, body });
      expect(answer.status).toBe(202);
      expect(sha256(dataOf(handled.get(id)!.uuid))).toBe(sha256(body));
    }
  });

  it('in body mode passes the client\'s body as the request body', async () => {
    const body = randomBytes(3 * MiB + 11);
    const answer = await upload(proxy.port, 'body', { body, expectContinue: true, headers: { 'x-test-mode': 'body' } });
    expect(answer.status).toBe(201);
    const entry = handled.get('body')!;
    expect(entry.bodyBytes).toBe(body.length);
    expect(entry.bodySha).toBe(sha256(body));
    expect(answer.continueAt).toBeGreaterThan(entry.offerAt!);
    expect(leaked(answer.headers)).toEqual([]);
    expect(answer.headers.connection).toBe('keep-alive');
  });

  it('relays a refusal before the offer: no 100 Continue, no byte written, the registry\'s status and OCI body, connection kept', async () => {
    const answer = await upload(proxy.port, 'refuse', { body: randomBytes(1000), expectContinue: true, headers: { 'x-test-mode': 'refuse' } });
    expect(answer.status).toBe(401);
    expect(answer.continueAt).toBeUndefined();
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="x"');
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    expect(answer.headers.connection).toBe('keep-alive');
    expect(leaked(answer.headers)).toEqual([]);
    expect(handled.get('refuse')!.reports).toEqual([]);
  });

  it('answers 502 to a registry answer that cannot be written (status 099), and keeps serving', async () => {
    const answer = await upload(proxy.port, 'unwritable', { body: randomBytes(1000), expectContinue: true, headers: { 'x-test-mode': 'unwritable' } });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ code: 'UNKNOWN', message: 'registry failed to answer' }] });
    const next = await upload(proxy.port, 'after-unwritable', { body: randomBytes(1000), expectContinue: true, headers: { 'x-test-mode': 'refuse' } });
    expect(next.status).toBe(401);
  });

  it('closes the connection after a refusal when the client is sending its body without waiting', async () => {
    const answer = await upload(proxy.port, 'refuse-sent', { body: stalling(randomBytes(MiB)), contentLength: 8 * MiB, headers: { 'x-test-mode': 'refuse' } });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).errors[0].code).toBe('UNAUTHORIZED');
    expect(answer.headers.connection).toBe('close');
    expect(answer.closed).toBe(true);
  });

  describe('hostile offers', () => {
    const secret = () => join(outside.path, 'data');
    const uuid = () => randomUUID();
    /** Each case: the offer lines (or a file to offer) and the storage it prepares. */
    const cases: Array<[string, () => { offer?: string; file?: string; offset?: number }]> = [
      ['a parent path', () => ({ offer: `X-Harbor-Upload-Mode: file\r\nX-Harbor-Upload-File: uploads/../../outside/data\r\nX-Harbor-Upload-Offset: 0\r\n` })],
      ['an absolute path', () => ({ offer: `X-Harbor-Upload-Mode: file\r\nX-Harbor-Upload-File: ${secret()}\r\nX-Harbor-Upload-Offset: 0\r\n` })],
      ['a file outside uploads/', () => {
        mkdirSync(join(storage.path, 'blobs', 'x'), { recursive: true });
        writeFileSync(join(storage.path, 'blobs', 'x', 'data'), 'BLOB');
        return { file: 'blobs/x/data', offset: 4 };
      }],
      ['a symbolic link to a file outside', () => {
        const id = uuid();
        mkdirSync(join(storage.path, 'uploads', id));
        symlinkSync(secret(), join(storage.path, 'uploads', id, 'data'));
        return { file: `uploads/${id}/data`, offset: 6 };
      }],
      ['a symbolically linked directory', () => {
        const id = uuid();
        symlinkSync(outside.path, join(storage.path, 'uploads', id));
        return { file: `uploads/${id}/data`, offset: 6 };
      }],
      ['a hard link to a file outside', () => {
        const id = uuid();
        mkdirSync(join(storage.path, 'uploads', id));
        linkSync(secret(), join(storage.path, 'uploads', id, 'data'));
        return { file: `uploads/${id}/data`, offset: 6 };
      }],
      ['a missing file', () => ({ file: `uploads/${uuid()}/data`, offset: 0 })],
      ['a size other than the offset', () => {
        const id = uuid();
        mkdirSync(join(storage.path, 'uploads', id));
        writeFileSync(join(storage.path, 'uploads', id, 'data'), 'twelve bytes');
        return { file: `uploads/${id}/data`, offset: 5 };
      }],
      ['an uppercase session', () => {
        const id = uuid().toUpperCase();
        mkdirSync(join(storage.path, 'uploads', id));
        writeFileSync(join(storage.path, 'uploads', id, 'data'), '');
        return { file: `uploads/${id}/data`, offset: 0 };
      }],
      ['a malformed offset', () => ({ offer: `X-Harbor-Upload-Mode: file\r\nX-Harbor-Upload-File: uploads/${uuid()}/data\r\nX-Harbor-Upload-Offset: 12abc\r\n` })],
      ['an unknown mode', () => ({ offer: 'X-Harbor-Upload-Mode: socket\r\n' })],
    ];

    beforeEach(() => {
      writeFileSync(secret(), 'SECRET');
    });

    it.each(cases)('refuses %s: 502 in the OCI envelope, nothing written, no path told, logged', async (what, prepare) => {
      const { offer, file, offset = 0 } = prepare();
      const lines = offer ?? `X-Harbor-Upload-Mode: file\r\nX-Harbor-Upload-File: ${file}\r\nX-Harbor-Upload-Offset: ${offset}\r\n`;
      const before = file ? sizeAt(file) : undefined;
      const errors = jest.spyOn(logger, 'error');
      const id = `hostile ${what}`;
      try {
        const answer = await upload(proxy.port, id, {
          body: Buffer.from('EVIL BYTES'),
          expectContinue: true,
          headers: { 'x-test-uuid': 'prepared', 'x-test-offer': lines.replace(/\r\n/g, '\\r\\n') },
        });
        expect(answer.status).toBe(502);
        expect(JSON.parse(answer.body)).toEqual(ociNoPath);
        expect(answer.headers['docker-distribution-api-version']).toBe('registry/2.0');
        expect(answer.continueAt).toBeUndefined();
        expect(answer.body).not.toMatch(/uploads|outside|blobs|etc|tmp/);
        expect(leaked(answer.headers)).toEqual([]);
        expect(readFileSync(secret(), 'utf8')).toBe('SECRET');
        if (file) expect(sizeAt(file)).toBe(before);
        // The registry's request was dropped: no report, not even a final one.
        await waitFor('the stand-in to see the request dropped', () => handled.get(id)?.reportError !== undefined, { timeoutMs: 5000, intervalMs: 20 });
        expect(handled.get(id)!.reports).toEqual([]);
        expect(errors).toHaveBeenCalledWith(expect.stringContaining('upload hand-over refused'), { requestId: answer.headers['x-request-id'] });
      } finally {
        errors.mockRestore();
      }
    });

    function sizeAt(file: string): number | null {
      try {
        return statSync(join(storage.path, file)).size;
      } catch {
        return null;
      }
    }
  });

  it('stops at the limit: `over` at exactly the limit, the file holds exactly that, the client\'s connection is closed', async () => {
    const limit = 3 * MiB + 5;
    const body = randomBytes(limit + MiB);
    const answer = await upload(proxy.port, 'over', {
      body: stalling(body),
      contentLength: 64 * MiB,
      headers: { 'x-test-offset': '10', 'x-test-limit': String(limit) },
    });
    const entry = handled.get('over')!;
    await waitFor('the final report', () => entry.answered, { timeoutMs: 10_000, intervalMs: 20 });
    expect(entry.reports.at(-1)).toEqual({ kind: 'over', written: limit });
    const data = dataOf(entry.uuid);
    expect(data.length).toBe(10 + limit);
    expect(data.subarray(10).equals(body.subarray(0, limit))).toBe(true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].code).toBe('SIZE_INVALID');
    expect(answer.headers.connection).toBe('close');
    expect(answer.closed).toBe(true);
  });

  it('reports `abort` with the bytes in the file when the client goes away mid-body, and keeps serving', async () => {
    const total = 64 * MiB;
    const source = generated(total);
    const entryOf = () => handled.get('abort');
    const answer = await upload(proxy.port, 'abort', {
      body: source,
      contentLength: total,
      headers: { 'x-test-offset': '100' },
      during: (req) => {
        void waitFor('a progress report', () => (entryOf()?.reports.length ?? 0) > 0, { timeoutMs: 10_000, intervalMs: 5 }).then(() => {
          source.unpipe(req);
          req.destroy();
        });
      },
    });
    expect(answer.status).toBe(0);
    const entry = entryOf()!;
    await waitFor('the final report', () => entry.reports.at(-1)?.kind !== 'progress' && entry.reports.at(-1), { timeoutMs: 10_000, intervalMs: 20 });
    const final = entry.reports.at(-1)!;
    expect(final.kind).toBe('abort');
    expect(final.written).toBeLessThan(total);
    expect(sizeOf(entry.uuid)).toBe(100 + final.written);
    const next = await upload(proxy.port, 'after-abort', { body: randomBytes(10) });
    expect(next.status).toBe(202);
  });

  it('stops writing at once when the registry goes away mid-body and tells the client', async () => {
    const total = 256 * MiB;
    const sent = 24 * MiB;
    // When each write starts and when the proxy saw the registry fail, on the shared clock.
    const writes: number[] = [];
    let failedAt = Infinity;
    const prototype = await fileHandlePrototype();
    const original = prototype.writev;
    const writev = jest.spyOn(prototype, 'writev').mockImplementation(function (this: unknown, ...args: unknown[]) {
      writes.push(clockTick());
      return original.apply(this, args);
    });
    const warning = jest.spyOn(logger, 'warning').mockImplementation(((message: string) => {
      if (message.startsWith('upstream registry failed')) failedAt = Math.min(failedAt, clockTick());
      return logger;
    }) as never);
    try {
      // The client is still in the middle of its body (it announced far more) when the registry goes.
      const answer = await upload(proxy.port, 'die', { body: stalling(generatedBytes(sent)), contentLength: total, headers: { 'x-test-mode': 'die' } });
      const entry = handled.get('die')!;
      const file = join(storage.path, 'uploads', entry.uuid, 'data');
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toEqual({ errors: [{ code: 'UNKNOWN', message: 'registry failed to answer' }] });
      expect(answer.headers.connection).toBe('close');
      expect(answer.closed).toBe(true);
      await waitFor('the file to be closed', () => openOn(file) === 0, { timeoutMs: 5000, intervalMs: 20 });
      // No write started once the proxy knew; closed, the file cannot grow any more.
      expect(failedAt).toBeLessThan(Infinity);
      expect(writes.filter((at) => at > failedAt)).toEqual([]);
      expect(statSync(file).size).toBeGreaterThanOrEqual(4 * MiB);
      expect(statSync(file).size).toBeLessThanOrEqual(sent);
    } finally {
      writev.mockRestore();
      warning.mockRestore();
    }
  });

  it('leaves requests without a body, other methods and POSTs without ?digest= to the registry as they are', async () => {
    await send(proxy.port, '/v2/library/app/blobs/uploads/u1', { method: 'PATCH', body: '', headers: { 'X-Harbor-Upload-Offload': '1' } });
    await send(proxy.port, '/v2/library/app/blobs/uploads/', { method: 'POST', body: 'x' });
    await send(proxy.port, '/v2/library/app/blobs/uploads/u1', { method: 'GET' });
    await send(proxy.port, '/v2/library/app/manifests/latest', { method: 'PUT', body: '{}' });
    expect(registry.seen.length).toBe(4);
    for (const seen of registry.seen) expect(Object.keys(seen.headers).filter((h) => h.startsWith('x-harbor-upload'))).toEqual([]);
    const answer = await send(proxy.port, '/v2/library/app/manifests/latest', { method: 'PUT', body: '{}' });
    expect(answer.status).toBe(401);
    expect(leaked(answer.headers)).toEqual([]);
  });

  it('kicks datasync during a long write and has it done before the final report', async () => {
    // Through the page cache: bytes written directly need no sync, so the main proxy (direct writes on) kicks none.
    const cached = await startProxy(
      proxyConfig(registry.url, core.url, { uploadFiles: { rootDirectory: storage.path, minBytes: 1, pauseAfterRefusals: 1_000_000, pauseSeconds: 60, directWrites: false } }),
      logger,
    );
    const prototype = await fileHandlePrototype();
    const syncs: Array<{ started: number; finished?: number }> = [];
    const original = prototype.datasync;
    const spy = jest.spyOn(prototype, 'datasync').mockImplementation(function (this: unknown) {
      const sync: { started: number; finished?: number } = { started: clockTick() };
      syncs.push(sync);
      return original.call(this).finally(() => (sync.finished = clockTick()));
    });
    try {
      const total = 96 * MiB;
      const answer = await upload(cached.port, 'sync', { body: generated(total) });
      expect(answer.status).toBe(202);
      const entry = handled.get('sync')!;
      expectProgress(entry.reports, total);
      expect(syncs.length).toBeGreaterThanOrEqual(1);
      for (const sync of syncs) expect(sync.finished).toBeLessThan(entry.endAt!);
      expect(sha256(dataOf(entry.uuid))).toBe(generatedSha(total));
      rmSync(join(storage.path, 'uploads', entry.uuid), { recursive: true });
    } finally {
      spy.mockRestore();
      await cached.stop();
    }
  }, 60_000);

  it('writes a large body from an unaligned offset past the page cache, byte for byte', async () => {
    const total = 64 * MiB + 4321;
    const offset = 1000;
    const answer = await upload(proxy.port, 'direct', { body: generated(total), contentLength: total, headers: { 'x-test-offset': String(offset) } });
    expect(answer.status).toBe(202);
    const entry = handled.get('direct')!;
    expectProgress(entry.reports, total);
    const file = join(storage.path, 'uploads', entry.uuid, 'data');
    // Before anything reads the file back: only the head up to the first block and the last partial buffer went through the cache.
    expect(residentBytes(file)).toBeLessThan(8 * MiB);
    expect(sizeOf(entry.uuid)).toBe(offset + total);
    expect(sha256(dataOf(entry.uuid))).toBe(generatedSha(total, undefined, Buffer.alloc(offset, 0x5a)));
    rmSync(join(storage.path, 'uploads', entry.uuid), { recursive: true });
  }, 60_000);

  it('writes 512 MiB with a small, fixed amount of memory', async () => {
    const total = 512 * MiB;
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
    global.gc?.();
    const base = used();
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, used())), 20);
    let answer: Upload;
    try {
      answer = await upload(proxy.port, 'huge', { body: generated(total), contentLength: total });
    } finally {
      clearInterval(timer);
    }
    expect(answer.status).toBe(202);
    const entry = handled.get('huge')!;
    expect(entry.reports.at(-1)).toEqual({ kind: 'end', written: total });
    expect(sizeOf(entry.uuid)).toBe(total);
    // The client's generated chunks are garbage too; anything near the upload's size would mean buffering.
    expect(Math.max(peak, used()) - base).toBeLessThan(100 * MiB);
    rmSync(join(storage.path, 'uploads', entry.uuid), { recursive: true });
  }, 120_000);
});

/** Where FileHandle's methods live (the class is not exported), to watch the proxy's calls. */
async function fileHandlePrototype(): Promise<{ datasync: () => Promise<void>; writev: (...args: unknown[]) => Promise<unknown> }> {
  const probe = await openFile('/dev/null', 'r');
  await probe.close();
  return Object.getPrototypeOf(probe) as { datasync: () => Promise<void>; writev: (...args: unknown[]) => Promise<unknown> };
}

/** Bytes of the file in the page cache (fincore, from util-linux-extra). */
function residentBytes(file: string): number {
  return Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());
}

/** How many descriptors of this process are open on `file`. */
function openOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

describe('proxy upload hand-over off', () => {
  it('pauses hand-overs when offered files keep failing to open (a root that is not the registry\'s), and says why', async () => {
    const registryRoot = tempDir('harbor-proxy-upload-registry-root-');
    const wrongRoot = tempDir('harbor-proxy-upload-wrong-root-');
    const handled = new Map<string, Handled>();
    const registry = await startStandIn('registry', registryStandIn(registryRoot.path, handled));
    const core = await startStandIn('core');
    const logged = silentLogger();
    const errors = jest.spyOn(logged, 'error');
    const misplaced = await startProxy(
      proxyConfig(registry.url, core.url, { uploadFiles: { rootDirectory: wrongRoot.path, minBytes: 1, pauseAfterRefusals: 2, pauseSeconds: 60, directWrites: true } }),
      logged,
    );
    try {
      const statuses: number[] = [];
      for (const id of ['first', 'second', 'third']) statuses.push((await upload(misplaced.port, id, { body: randomBytes(100) })).status);
      // Two offers the proxy could not take (502), then the body goes through the registry (the stand-in refuses it).
      expect(statuses).toEqual([502, 502, 401]);
      expect(registry.seen.map((s) => s.headers['x-harbor-upload-offload'])).toEqual([handOverSecret, handOverSecret, undefined]);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('upload hand-over paused'), expect.anything());
    } finally {
      errors.mockRestore();
      await misplaced.stop();
      await registry.close();
      await core.close();
      registryRoot.remove();
      wrongRoot.remove();
    }
  });

  it('never asks for a hand-over without a configured root, before the root exists, or without the internal secret (and says so)', async () => {
    const parent = tempDir('harbor-proxy-upload-root-');
    const handled = new Map<string, Handled>();
    const registry = await startStandIn('registry', registryStandIn(parent.path, handled));
    const core = await startStandIn('core');
    const without = await startProxy(proxyConfig(registry.url, core.url));
    const late = await startProxy(proxyConfig(registry.url, core.url, { uploadFiles: { rootDirectory: join(parent.path, 'not-yet'), minBytes: 1, pauseAfterRefusals: 3, pauseSeconds: 60, directWrites: true } }));
    const secretless = silentLogger();
    const warnings = jest.spyOn(secretless, 'warning');
    const noSecret = await startProxy(
      proxyConfig(registry.url, core.url, {
        uploadFiles: { rootDirectory: parent.path, minBytes: 1, pauseAfterRefusals: 3, pauseSeconds: 60, directWrites: true },
        blobFiles: { rootDirectory: parent.path },
        internalSecretPath: null,
      }),
      secretless,
    );
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('hand-overs are off'));
    try {
      for (const proxy of [without, late, noSecret]) {
        const answer = await upload(proxy.port, 'off', { body: randomBytes(10), headers: { 'X-Harbor-Upload-Offload': '1' } });
        expect(answer.status).toBe(401);
        expect(leaked(answer.headers)).toEqual([]);
      }
      expect(registry.seen.map((s) => s.headers['x-harbor-upload-offload'])).toEqual([undefined, undefined, undefined]);
    } finally {
      await without.stop();
      await late.stop();
      await noSecret.stop();
      await registry.close();
      await core.close();
      parent.remove();
    }
  });
});
