/**
 * The proxy vouching for a handed-over upload's digest: when the offer asks
 * (X-Harbor-Upload-Hash) and the proxy can, it says `vouching 0` first, and
 * the final report carries the digest of the file's
 * bytes from 0, hashed from what the proxy wrote on top of the hash it kept
 * from its own earlier hand-overs of the same file, and nothing when it did
 * not see every byte. Checked against the file itself, through the stand-in
 * registry, with direct writes on and off.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFinalUploadReport } from '@harbor/http';
import { silentLogger } from '@harbor/logging';
import { tempDir, type TempDir } from '@harbor/testkit';
import type { RunningProxy } from './main';
import { proxyConfig, startProxy, startStandIn, type StandIn } from './__tests__/harness';
import { generated } from './__tests__/generated-bytes';
import { registryStandIn, stalling, upload, type Handled } from './__tests__/upload-stand-in';

const MiB = 1024 * 1024;
const digest = (algorithm: 'sha256' | 'sha512', bytes: Buffer) => `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;

describe.each([
  ['direct writes', true],
  ['writes through the page cache', false],
])('proxy vouching for the digest, %s', (_what, directWrites) => {
  let storage: TempDir;
  let registry: StandIn;
  let core: StandIn;
  let proxy: RunningProxy;
  const handled = new Map<string, Handled>();
  const fileOf = (uuid: string) => readFileSync(join(storage.path, 'uploads', uuid, 'data'));
  let ids = 0;

  beforeAll(async () => {
    storage = tempDir('harbor-proxy-vouching-');
    mkdirSync(join(storage.path, 'uploads'));
    registry = await startStandIn('registry', registryStandIn(storage.path, handled));
    core = await startStandIn('core');
    const uploadFiles = { rootDirectory: storage.path, minBytes: 1, pauseAfterRefusals: 1_000_000, pauseSeconds: 60, directWrites };
    proxy = await startProxy(proxyConfig(registry.url, core.url, { uploadFiles }), silentLogger());
  });
  afterAll(async () => {
    await proxy.stop();
    await registry.close();
    await core.close();
    storage.remove();
  });

  /** One hand-over through the proxy; `uuid` continues that upload's file at `offset`. */
  async function send(
    body: Buffer | Buffer[],
    headers: Record<string, string>,
    options: { method?: string; uuid?: string; offset?: number } = {},
  ): Promise<Handled & { status: number }> {
    const id = `v${++ids}`;
    const continued: Record<string, string> = options.uuid ? { 'x-test-uuid': options.uuid, 'x-test-offset': String(options.offset ?? 0) } : {};
    const method = options.method ?? 'PATCH';
    const path = method === 'PATCH' ? '/v2/library/app/blobs/uploads/u1' : '/v2/library/app/blobs/uploads/u1?digest=sha256:abc';
    const answer = await upload(proxy.port, id, { method, path, body, headers: { ...headers, ...continued } });
    return { ...handled.get(id)!, status: answer.status };
  }

  it('vouches for what it wrote from byte 0, in the algorithm asked', async () => {
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const body = randomBytes(9 * MiB + 321);
      const entry = await send(body, { 'x-test-hash': algorithm });
      expect(entry.status).toBe(202);
      expect(fileOf(entry.uuid).equals(body)).toBe(true);
      expect(entry.reports.at(-1)).toEqual({ kind: 'end', written: body.length, digest: digest(algorithm, body) });
      // Said first, so the registry need not read the bytes back; progress lines carry no digest.
      expect(entry.reports[0]).toEqual({ kind: 'vouching', written: 0 });
      expect(entry.reports.slice(1, -1).every((r) => r.kind === 'progress' && r.digest === undefined)).toBe(true);
    }
  });

  it('vouches for a chunked body of odd pieces, hashed in file order', async () => {
    const pieces = [randomBytes(1), randomBytes(3 * MiB + 7), randomBytes(4095), randomBytes(5 * MiB), randomBytes(2 * MiB + 1)];
    const body = Buffer.concat(pieces);
    const entry = await send(pieces, { 'x-test-hash': 'sha256' });
    expect(entry.reports.at(-1)).toEqual({ kind: 'end', written: body.length, digest: digest('sha256', body) });
  });

  it('carries its hash from PATCH to PATCH to the final PUT of one upload, and forgets it after the PUT', async () => {
    const first = randomBytes(5 * MiB + 17);
    const second = randomBytes(4 * MiB + 4099);
    const last = randomBytes(MiB + 3);
    const a = await send(first, { 'x-test-hash': 'sha256' });
    expect(a.reports.at(-1)!.digest).toBe(digest('sha256', first));
    const b = await send(second, { 'x-test-hash': 'sha256' }, { uuid: a.uuid, offset: first.length });
    expect(b.reports.at(-1)!.digest).toBe(digest('sha256', Buffer.concat([first, second])));
    const c = await send(last, { 'x-test-hash': 'sha256' }, { method: 'PUT', uuid: a.uuid, offset: first.length + second.length });
    const whole = Buffer.concat([first, second, last]);
    expect(c.reports.at(-1)).toEqual({ kind: 'end', written: last.length, digest: digest('sha256', whole) });
    expect(fileOf(a.uuid).equals(whole)).toBe(true);

    // A PUT ends the upload: nothing is kept to go on from.
    const after = await send(randomBytes(1000), { 'x-test-hash': 'sha256' }, { uuid: a.uuid, offset: whole.length });
    expect(after.reports).toEqual([{ kind: 'end', written: 1000 }]);
  });

  it('says nothing about a file with bytes it did not write itself', async () => {
    // 1000 bytes already there (the registry wrote them, or another proxy).
    const entry = await send(randomBytes(2 * MiB), { 'x-test-hash': 'sha256', 'x-test-offset': '1000' });
    expect(entry.status).toBe(202);
    expect(entry.reports.some((r) => r.kind === 'vouching')).toBe(false);
    expect(entry.reports.at(-1)).toEqual({ kind: 'end', written: 2 * MiB });
  });

  it('says nothing when the upload stands elsewhere than where its hash ended, or is asked in another algorithm', async () => {
    const first = randomBytes(2 * MiB);
    const a = await send(first, { 'x-test-hash': 'sha256' });
    expect(a.reports.at(-1)!.digest).toBe(digest('sha256', first));
    // The file grows by 10 bytes the proxy never sees (a small chunk through the registry): its hash is of no use.
    appendFileSync(join(storage.path, 'uploads', a.uuid, 'data'), randomBytes(10));
    const grown = await send(randomBytes(MiB), { 'x-test-hash': 'sha256' }, { uuid: a.uuid, offset: first.length + 10 });
    expect(grown.reports.at(-1)!.digest).toBeUndefined();
    expect(grown.reports.some((r) => r.kind === 'vouching')).toBe(false);

    const b = await send(first, { 'x-test-hash': 'sha256' });
    const other = await send(randomBytes(MiB), { 'x-test-hash': 'sha512' }, { uuid: b.uuid, offset: first.length });
    expect(other.reports.at(-1)!.digest).toBeUndefined();
    expect(other.reports.some((r) => r.kind === 'vouching')).toBe(false);
  });

  it('says nothing when the registry does not ask', async () => {
    const body = randomBytes(3 * MiB);
    const entry = await send(body, {});
    expect(entry.reports.some((r) => r.kind === 'vouching')).toBe(false);
    expect(entry.reports.at(-1)).toEqual({ kind: 'end', written: body.length });
  });

  it('vouches for what landed when the client goes away mid-body, and the upload goes on from there', async () => {
    const sent = randomBytes(6 * MiB);
    const id = `v${++ids}`;
    await upload(proxy.port, id, {
      body: stalling(sent),
      contentLength: 16 * MiB,
      headers: { 'x-test-hash': 'sha256' },
      during: (req) => {
        const cut = setInterval(() => {
          const entry = handled.get(id);
          if (entry && entry.reports.some((r) => r.written > 0)) {
            clearInterval(cut);
            req.destroy();
          }
        }, 5);
      },
    });
    let entry = handled.get(id)!;
    for (let i = 0; i < 200 && !entry.reports.some((r) => isFinalUploadReport(r.kind)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      entry = handled.get(id)!;
    }
    const final = entry.reports.at(-1)!;
    expect(final.kind).toBe('abort');
    const landed = fileOf(entry.uuid);
    expect(landed.length).toBe(final.written);
    expect(final.digest).toBe(digest('sha256', landed));

    const rest = randomBytes(MiB);
    const next = await send(rest, { 'x-test-hash': 'sha256' }, { uuid: entry.uuid, offset: landed.length });
    expect(next.reports.at(-1)!.digest).toBe(digest('sha256', Buffer.concat([landed, rest])));
  });

  it('vouches for a body longer than the direct buffers many times over', async () => {
    const total = 40 * MiB + 5;
    const id = `v${++ids}`;
    await upload(proxy.port, id, { body: generated(total), contentLength: total, headers: { 'x-test-hash': 'sha256' } });
    const done = handled.get(id)!;
    expect(done.reports.at(-1)).toEqual({ kind: 'end', written: total, digest: digest('sha256', fileOf(done.uuid)) });
  }, 60_000);
});
