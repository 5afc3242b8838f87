import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidsListeningOn } from '../bench/cpu';
import { HarborApi } from '../support/harbor-api';
import { RegistryClient } from '../support/registry-client';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(180_000);

/**
 * The blob hand-over through the whole suite (proxy + registry + core's
 * tokens): curl pulls a multi-MiB blob whole and by range and gets exactly
 * its bytes, while the registry process writes almost none of them (the
 * proxy sent them from the storage directory); anonymous and outside callers
 * are still refused in the OCI envelope, another repository's blob is not
 * served, and a client's forged X-Harbor-Blob-* headers change nothing.
 */
describe('blob pulls handed over to the proxy', () => {
  let suite: RunningSuite;
  let admin: RegistryClient;
  let outsider: RegistryClient;
  const suffix = randomBytes(3).toString('hex');
  const project = `offload${suffix}`;
  const otherProject = `elsewhere${suffix}`;
  const name = `${project}/app`;
  const otherName = `${otherProject}/app`;
  const blob = randomBytes(12 * 1024 * 1024 + 4321);
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const otherBlob = randomBytes(256 * 1024);
  let otherDigest: string;
  let pullToken: string;

  const url = (repository: string, d: string) => `${suite.url}/v2/${repository}/blobs/${d}`;
  const sha256File = (path: string) => `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

  /** curl with headers dumped to a file; answers status, lower-cased headers and the body's path. */
  async function curl(target: string, args: string[] = [], label = 'body') {
    const bodyPath = join(suite.dir, `${label}-${randomBytes(3).toString('hex')}`);
    const headerPath = `${bodyPath}.headers`;
    const result = ok(await run('curl', ['-sS', '-o', bodyPath, '-D', headerPath, '-w', '%{http_code}', ...args, target], { timeoutMs: 60_000 }), 'curl');
    const headers: Record<string, string> = {};
    for (const line of readFileSync(headerPath, 'utf8').split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { status: Number(result.stdout), headers, bodyPath, body: () => readFileSync(bodyPath) };
  }
  const bearer = (token: string) => ['-H', `Authorization: Bearer ${token}`];
  const leaked = (headers: Record<string, string>) => Object.keys(headers).filter((h) => h.startsWith('x-harbor-blob'));

  /** Bytes the registry process has written (sockets included) so far. */
  async function registryWrittenBytes(): Promise<number> {
    const [pid] = await pidsListeningOn([suite.ports.registry]);
    if (pid === undefined) throw new Error('registry process not found');
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/^wchar:\s*(\d+)/m.exec(io)![1]);
  }

  beforeAll(async () => {
    suite = await startSuite();
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    await api.createProject(project, false);
    await api.createProject(otherProject, false);
    const outsiderPassword = `Outs1der${randomBytes(4).toString('hex')}`;
    await api.createUser(`outsider${suffix}`, outsiderPassword);
    admin = new RegistryClient(suite.url, 'admin', suite.adminPassword);
    outsider = new RegistryClient(suite.url, `outsider${suffix}`, outsiderPassword);
    expect(await admin.pushBlob(name, blob, await admin.token(`repository:${name}:pull,push`))).toBe(digest);
    otherDigest = await admin.pushBlob(otherName, otherBlob, await admin.token(`repository:${otherName}:pull,push`));
    pullToken = await admin.token(`repository:${name}:pull`);
  });
  afterAll(async () => suite?.stop());

  it('is switched on: prepare gave the proxy the registry\'s storage directory', () => {
    const proxy = JSON.parse(readFileSync(join(suite.dir, 'config', 'proxy', 'config.json'), 'utf8'));
    const registry = JSON.parse(readFileSync(join(suite.dir, 'config', 'registry', 'config.json'), 'utf8'));
    expect(proxy.blobFiles).toEqual({ rootDirectory: registry.storage.rootDirectory });
  });

  it('pulls the whole blob with curl, byte for byte, without the registry carrying the bytes', async () => {
    const before = await registryWrittenBytes();
    const answer = await curl(url(name, digest), bearer(pullToken), 'whole');
    const written = (await registryWrittenBytes()) - before;
    expect(answer.status).toBe(200);
    expect(sha256File(answer.bodyPath)).toBe(digest);
    expect(answer.headers['content-length']).toBe(String(blob.length));
    expect(answer.headers['docker-content-digest']).toBe(digest);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(leaked(answer.headers)).toEqual([]);
    // Headers and logs only: far below the 12 MiB that went to the client.
    expect(written).toBeLessThan(512 * 1024);
  });

  it('pulls a range with 206 and Content-Range, and refuses one past the end with 416', async () => {
    const start = 1_000_000;
    const end = 5_555_555;
    const ranged = await curl(url(name, digest), [...bearer(pullToken), '-r', `${start}-${end}`], 'range');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes ${start}-${end}/${blob.length}`);
    expect(ranged.headers['content-length']).toBe(String(end - start + 1));
    expect(ranged.body().equals(blob.subarray(start, end + 1))).toBe(true);
    expect(leaked(ranged.headers)).toEqual([]);

    const tooFar = await curl(url(name, digest), [...bearer(pullToken), '-r', `${blob.length}-`], 'range-416');
    expect(tooFar.status).toBe(416);
    expect(tooFar.headers['content-range']).toBe(`bytes */${blob.length}`);
    expect(JSON.parse(tooFar.body().toString()).errors[0].code).toBe('RANGE_INVALID');
  });

  it('still refuses an anonymous caller and one without access, in the OCI envelope', async () => {
    const anonymous = await curl(url(name, digest), ['-H', 'X-Harbor-Blob-Offload: 1'], 'anonymous');
    expect([401, 403]).toContain(anonymous.status);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect(JSON.parse(anonymous.body().toString())).toEqual({ errors: [expect.objectContaining({ code: expect.stringMatching(/^(UNAUTHORIZED|DENIED)$/) })] });

    const outsiderToken = await outsider.token(`repository:${name}:pull`);
    const refused = await curl(url(name, digest), bearer(outsiderToken), 'outsider');
    expect([401, 403]).toContain(refused.status);
    expect(JSON.parse(refused.body().toString()).errors[0].code).toMatch(/^(UNAUTHORIZED|DENIED)$/);
    expect(refused.body().length).toBeLessThan(4096);
    expect(leaked(refused.headers)).toEqual([]);
  });

  it('does not serve another repository\'s blob, even with forged hand-over headers', async () => {
    const forged = ['-H', 'X-Harbor-Blob-Offload: 1', '-H', `X-Harbor-Blob-File: blobs/sha256/${otherDigest.slice(7, 9)}/${otherDigest.slice(7)}/data`];
    const answer = await curl(url(name, otherDigest), [...bearer(pullToken), ...forged], 'other');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body().toString()).errors[0].code).toBe('BLOB_UNKNOWN');
    expect(leaked(answer.headers)).toEqual([]);

    // The same forged headers on a blob this repository has: the bytes of that blob, nothing else.
    const own = await curl(url(name, digest), [...bearer(pullToken), ...forged, '-H', 'X-Harbor-Blob-Length: 5'], 'forged-own');
    expect(own.status).toBe(200);
    expect(sha256File(own.bodyPath)).toBe(digest);
  });

  it('answers HEAD with the real length and no hand-over', async () => {
    const result = ok(await run('curl', ['-sS', '-I', ...bearer(pullToken), url(name, digest)], { timeoutMs: 30_000 }), 'curl -I');
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(result.stdout.toLowerCase()).toContain(`content-length: ${blob.length}`);
    expect(result.stdout.toLowerCase()).not.toContain('x-harbor-blob');
  });
});
