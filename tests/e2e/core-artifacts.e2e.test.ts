import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harborContract } from '../support/harbor-contract';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(240_000);

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociIndex = 'application/vnd.oci.image.index.v1+json';
const helmConfig = 'application/vnd.cncf.helm.config.v1+json';
const never = '0001-01-01T00:00:00.000Z';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

type Who = { username: string; password: string } | null;

/**
 * Issue 4's "what the registry holds" through the proxy against the whole
 * suite: repositories, artifacts (image, index, chart, other OCI artifact),
 * tags, build history, push/pull times and counts from registry events, and
 * the audit log, each answer checked against Harbor's swagger.
 */
describe('repositories, artifacts, tags and the audit log through core', () => {
  let suite: RunningSuite;
  let admin: Who;
  let image: BuiltImage;
  const password = `Us3r${randomBytes(6).toString('hex')}`;
  const as = (username: string): Who => ({ username, password });
  const contractViolations: string[] = [];

  /** One API call; every exchange is checked against the swagger as it happens. */
  async function api(who: Who, method: string, path: string, body?: unknown, check = true): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = () => fetch(`${suite.url}/api/v2.0${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    // A GET on a keep-alive socket the proxy closed at its idle timeout (5 s) just as it was reused is
    // retried once, as HTTP clients do for idempotent requests (RFC 9112 §9.3.1); nothing else is.
    const res = await send().catch((err: Error) => {
      if (method !== 'GET' || !/other side closed|ECONNRESET/.test(String((err.cause as Error | undefined)?.message ?? err.message))) throw err;
      return send();
    });
    const text = await res.text();
    if (check) {
      const result = harborContract().check({ method, url: `/api/v2.0${path}`, status: res.status, headers: res.headers, body: text });
      contractViolations.push(...result.violations.map((v) => `${method} ${path}: ${v}`));
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async function token(who: Who, scope: string): Promise<string> {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;
    const res = await fetch(`${suite.url}/service/token?service=harbor-registry&scope=${encodeURIComponent(scope)}`, { headers });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function v2(method: string, path: string, bearer: string, body?: Buffer, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
    if (contentType) headers['content-type'] = contentType;
    return fetch(`${suite.url}/v2/${path}`, { method, headers, body });
  }

  async function pushBlob(name: string, bytes: Buffer, bearer: string): Promise<string> {
    const digest = sha256(bytes);
    const res = await v2('POST', `${name}/blobs/uploads/?digest=${digest}`, bearer, bytes, 'application/octet-stream');
    expect(res.status).toBe(201);
    return digest;
  }

  /** Pushes a one-layer OCI manifest with the given config; answers the manifest bytes and digest. */
  async function pushManifest(name: string, reference: string, config: Buffer, configType: string, bearer: string, extra: Record<string, unknown> = {}) {
    const layer = Buffer.from(`layer ${randomBytes(8).toString('hex')}`);
    const configDigest = await pushBlob(name, config, bearer);
    const layerDigest = await pushBlob(name, layer, bearer);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociManifest,
        config: { mediaType: configType, digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
        ...extra,
      }),
    );
    const res = await v2('PUT', `${name}/manifests/${reference}`, bearer, manifest, ociManifest);
    expect(res.status).toBe(201);
    return { manifest, digest: sha256(manifest), size: manifest.length + config.length + layer.length };
  }

  /** Registry events reach core after the client's response: wait for what they change. */
  async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  beforeAll(async () => {
    suite = await startSuite();
    admin = { username: 'admin', password: suite.adminPassword };
    const setup = new HarborApi(suite.url, 'admin', suite.adminPassword);
    for (const user of ['dev', 'guest', 'maint', 'outsider', 'limited']) await setup.createUser(user, password);
    await setup.createProject('secret', false);
    await setup.createProject('other', false);
    await setup.addMember('secret', 'dev', 2);
    await setup.addMember('secret', 'guest', 3);
    await setup.addMember('secret', 'maint', 4);
    await setup.addMember('secret', 'limited', 5);
    await setup.addMember('other', 'outsider', 1);

    image = buildOciLayout(join(suite.dir, 'image'), '1');
    const authfile = join(suite.dir, 'auth.json');
    const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });
    ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile, '-u', 'dev', '-p', password, suite.host), 'skopeo login');
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, `docker://${suite.host}/secret/app/web:1`), 'skopeo push');
  });

  afterAll(async () => {
    await suite?.stop();
  });

  afterEach(() => {
    const found = contractViolations.splice(0);
    expect(found).toEqual([]);
  });

  const imageBytes = (digest: string) => readFileSync(join(image.dir, 'blobs', 'sha256', digest.slice(7)));

  it('lists a project\'s repositories for its members, with counts, paging headers and the nested name', async () => {
    const list = await api(as('guest'), 'GET', '/projects/secret/repositories');
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(list.json).toEqual([expect.objectContaining({ name: 'secret/app/web', artifact_count: 1, description: '' })]);

    const one = await api(as('dev'), 'GET', '/projects/secret/repositories/app%252Fweb');
    expect(one.status).toBe(200);
    expect(one.json.name).toBe('secret/app/web');
    expect(one.json.id).toBe(list.json[0].id);

    const byProject = await api(admin, 'GET', `/repositories?q=project_id%3D${one.json.project_id}`);
    expect(byProject.json.map((r: { name: string }) => r.name)).toEqual(['secret/app/web']);
    expect((await api(admin, 'GET', '/repositories?q=project_id%3D~1')).status).toBe(400);
  });

  it('hides a private project\'s repositories from non-members and anonymous callers, in both listings', async () => {
    expect((await api(as('outsider'), 'GET', '/projects/secret/repositories')).status).toBe(403);
    expect((await api(null, 'GET', '/projects/secret/repositories')).status).toBe(401);
    expect((await api(as('outsider'), 'GET', '/projects/secret/repositories/app%252Fweb')).status).toBe(403);

    const outsiders = await api(as('outsider'), 'GET', '/repositories');
    expect(outsiders.status).toBe(200);
    expect(outsiders.json.map((r: { name: string }) => r.name)).not.toContain('secret/app/web');
    const anonymous = await api(null, 'GET', '/repositories');
    expect(anonymous.json.map((r: { name: string }) => r.name)).not.toContain('secret/app/web');
    const admins = await api(admin, 'GET', '/repositories?q=name%3D~app');
    expect(admins.json.map((r: { name: string }) => r.name)).toEqual(['secret/app/web']);
  });

  it('shows the pushed image as an IMAGE artifact with its tag, size, config attributes and build history', async () => {
    const list = await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts?with_tag=true&with_label=true&with_scan_overview=true');
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('1');
    const artifact = list.json[0];
    const manifest = JSON.parse(imageBytes(image.manifestDigest).toString('utf8'));
    expect(artifact).toMatchObject({
      type: 'IMAGE',
      digest: image.manifestDigest,
      manifest_media_type: ociManifest,
      media_type: 'application/vnd.oci.image.config.v1+json',
      repository_name: 'secret/app/web',
      size: imageBytes(image.manifestDigest).length + manifest.config.size + manifest.layers[0].size,
      pull_time: never,
      extra_attrs: { architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello.txt'] } },
    });
    expect(artifact.tags).toEqual([expect.objectContaining({ name: '1', artifact_id: artifact.id, immutable: false })]);
    expect(Date.parse(artifact.push_time)).toBeGreaterThan(Date.now() - 10 * 60_000);

    const byTag = await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts/1');
    const byDigest = await api(as('guest'), 'GET', `/projects/secret/repositories/app%252Fweb/artifacts/${image.manifestDigest}`);
    expect(byTag.json.id).toBe(artifact.id);
    expect(byDigest.json.id).toBe(artifact.id);

    // The swagger calls an addition an opaque string; Harbor (and this suite) answer the JSON document itself.
    const history = await api(as('guest'), 'GET', `/projects/secret/repositories/app%252Fweb/artifacts/1/additions/build_history`, undefined, false);
    expect(history.status).toBe(200);
    const config = JSON.parse(imageBytes(manifest.config.digest).toString('utf8'));
    expect(history.json).toEqual(config.history);
  });

  it('tells a Helm chart, an image index with its platforms, and another OCI artifact apart', async () => {
    const bearer = await token(admin, 'repository:secret/kinds:pull,push');
    const chart = await pushManifest('secret/kinds', 'chart-0.1.0', Buffer.from(JSON.stringify({ name: 'c', version: '0.1.0', apiVersion: 'v2' })), helmConfig, bearer);
    const child = await pushManifest(
      'secret/kinds',
      'arm-only',
      Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })),
      'application/vnd.oci.image.config.v1+json',
      bearer,
    );
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociIndex,
        manifests: [{ mediaType: ociManifest, digest: child.digest, size: child.manifest.length, platform: { architecture: 'arm64', os: 'linux' } }],
      }),
    );
    expect((await v2('PUT', 'secret/kinds/manifests/multi', bearer, index, ociIndex)).status).toBe(201);
    const other = await pushManifest('secret/kinds', 'sbom', Buffer.from('{}'), 'application/vnd.oci.empty.v1+json', bearer, {
      artifactType: 'application/spdx+json',
    });

    const byTag = async (tag: string) => (await api(as('guest'), 'GET', `/projects/secret/repositories/kinds/artifacts/${tag}`)).json;
    expect((await byTag('chart-0.1.0')).type).toBe('CHART');
    expect((await byTag('chart-0.1.0')).extra_attrs).toMatchObject({ name: 'c', version: '0.1.0' });
    expect((await byTag('chart-0.1.0')).size).toBe(chart.size);
    const multi = await byTag('multi');
    expect(multi).toMatchObject({ type: 'IMAGE', manifest_media_type: ociIndex, size: index.length + child.size });
    expect(multi.references).toEqual([expect.objectContaining({ child_digest: child.digest, platform: { architecture: 'arm64', os: 'linux' } })]);
    const sbom = await byTag('sbom');
    expect(sbom).toMatchObject({ type: 'UNKNOWN', digest: other.digest, artifact_type: 'application/spdx+json' });

    // Build history exists for images only.
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories/kinds/artifacts/chart-0.1.0/additions/build_history')).status).toBe(404);

    // The tagged child shows on its own; filters narrow the list.
    const tagged = await api(as('guest'), 'GET', '/projects/secret/repositories/kinds/artifacts?q=tags%3D~chart');
    expect(tagged.json.map((a: { digest: string }) => a.digest)).toEqual([chart.digest]);
    const paged = await api(as('guest'), 'GET', '/projects/secret/repositories/kinds/artifacts?page=1&page_size=2&sort=-push_time');
    expect(paged.headers.get('x-total-count')).toBe('4');
    expect(paged.json).toHaveLength(2);
    expect(paged.headers.get('link')).toContain('rel="next"');
  });

  it('records pulls from registry events: pull time on the artifact, count on the repository', async () => {
    const bearer = await token(as('guest'), 'repository:secret/app/web:pull');
    const pulled = await v2('GET', 'secret/app/web/manifests/1', bearer);
    expect(pulled.status).toBe(200);
    await pulled.arrayBuffer();
    const artifact = await eventually('the pull time', async () => {
      const a = (await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts/1')).json;
      return a.pull_time !== never ? a : undefined;
    });
    expect(Date.parse(artifact.pull_time)).toBeGreaterThan(Date.now() - 5 * 60_000);
    await eventually('the pull count', async () => {
      const r = (await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb')).json;
      return r.pull_count >= 1 ? r : undefined;
    });
    const logs = await eventually('the pull audit entry', async () => {
      const l = await api(as('guest'), 'GET', '/projects/secret/logs?q=operation%3Dpull');
      return l.json.length > 0 ? l.json : undefined;
    });
    expect(logs[0]).toMatchObject({ operation: 'pull', resource_type: 'artifact', resource: 'secret/app/web:1', username: 'guest' });
  });

  it('updates the description for developers and up (repository:update), never for guests or anonymous callers', async () => {
    expect((await api(as('guest'), 'PUT', '/projects/secret/repositories/app%252Fweb', { description: 'no' })).status).toBe(403);
    expect((await api(as('dev'), 'PUT', '/projects/secret/repositories/app%252Fweb', { description: 'by a developer' })).status).toBe(200);
    expect((await api(null, 'PUT', '/projects/secret/repositories/app%252Fweb', { description: 'no' })).status).toBe(401);
    expect((await api(as('maint'), 'PUT', '/projects/secret/repositories/app%252Fweb', { description: 42 })).status).toBe(400);
    expect((await api(as('maint'), 'PUT', '/projects/secret/repositories/app%252Fweb', { description: 'the web app' })).status).toBe(200);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb')).json.description).toBe('the web app');
  });

  it('retags through the registry: developers may add a tag, only maintainers remove one', async () => {
    const base = '/projects/secret/repositories/app%252Fweb/artifacts/1/tags';
    expect((await api(as('guest'), 'POST', base, { name: 'stable' })).status).toBe(403);
    const created = await api(as('dev'), 'POST', base, { name: 'stable' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v2.0${base}/stable`);
    expect((await api(as('dev'), 'POST', base, { name: 'stable' })).status).toBe(409);
    expect((await api(as('dev'), 'POST', base, { name: '../x' })).status).toBe(400);

    const tags = await api(as('guest'), 'GET', base);
    expect(tags.json.map((t: { name: string }) => t.name).sort()).toEqual(['1', 'stable']);
    // The registry itself serves the new tag with the same digest.
    const bearer = await token(as('guest'), 'repository:secret/app/web:pull');
    const head = await v2('HEAD', 'secret/app/web/manifests/stable', bearer);
    expect(head.headers.get('docker-content-digest')).toBe(image.manifestDigest);

    expect((await api(as('dev'), 'DELETE', `${base}/stable`)).status).toBe(403);
    expect((await api(as('maint'), 'DELETE', `${base}/nope`)).status).toBe(404);
    expect((await api(as('maint'), 'DELETE', `${base}/..%2F..%2F1`)).status).toBe(404);
    expect((await api(as('maint'), 'DELETE', `${base}/stable`)).status).toBe(200);
    expect((await v2('HEAD', 'secret/app/web/manifests/stable', bearer)).status).toBe(404);

    const audit = await api(admin, 'GET', '/audit-logs?q=resource_type%3Dtag');
    expect(audit.json.map((e: { operation: string; resource: string; username: string }) => [e.operation, e.resource, e.username])).toEqual([
      ['delete', 'secret/app/web:stable', 'maint'],
      ['create', 'secret/app/web:stable', 'dev'],
    ]);
  });

  it('refuses hostile references: another project\'s path, path tricks, bad digests, huge pages', async () => {
    // The repository exists, but not in this project.
    expect((await api(as('outsider'), 'GET', '/projects/other/repositories/app%252Fweb')).status).toBe(404);
    expect((await api(as('outsider'), 'GET', '/projects/other/repositories/..%252Fsecret%252Fapp%252Fweb/artifacts')).status).toBe(400);
    // Harbor's delete declares no 400: a name that cannot exist names nothing.
    expect((await api(as('outsider'), 'DELETE', `/projects/other/repositories/..%252Fsecret%252Fapp%252Fweb/artifacts/${image.manifestDigest}`)).status).toBe(404);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts/sha256:zz')).status).toBe(400);
    expect((await api(as('guest'), 'GET', `/projects/secret/repositories/app%252Fweb/artifacts/sha256:${'0'.repeat(64)}`)).status).toBe(404);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts?page=0')).status).toBe(400);
    const huge = await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb/artifacts?page_size=100000000');
    expect(huge.status).toBe(200);
    expect(huge.json).toHaveLength(1);
    expect((await api(as('guest'), 'GET', "/projects/secret/repositories?q=name%3D'%20OR%201%3D1")).json).toEqual([]);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories?sort=password')).status).toBe(400);
    // Nothing changed in the registry.
    const bearer = await token(admin, 'repository:secret/app/web:pull');
    expect((await v2('HEAD', 'secret/app/web/manifests/1', bearer)).status).toBe(200);
  });

  it('deletes an artifact through the registry for maintainers, not developers, and audits it', async () => {
    const path = '/projects/secret/repositories/kinds/artifacts/chart-0.1.0';
    const chart = (await api(as('guest'), 'GET', path)).json;
    expect((await api(as('dev'), 'DELETE', path)).status).toBe(403);
    expect((await api(as('maint'), 'DELETE', path)).status).toBe(200);
    expect((await api(as('guest'), 'GET', path)).status).toBe(404);
    const bearer = await token(admin, 'repository:secret/kinds:pull');
    expect((await v2('HEAD', `secret/kinds/manifests/${chart.digest}`, bearer)).status).toBe(404);

    // A child of an index goes only with its index: 412, as Harbor answers (its swagger does not list it).
    const multi = (await api(as('guest'), 'GET', '/projects/secret/repositories/kinds/artifacts/multi')).json;
    const child = `/projects/secret/repositories/kinds/artifacts/${multi.references[0].child_digest}`;
    expect((await api(as('maint'), 'DELETE', child, undefined, false)).status).toBe(412);

    // Deleting an index takes the children nothing else holds; a tagged child stays.
    const push = await token(admin, 'repository:secret/kinds:pull,push');
    const config = Buffer.from(JSON.stringify({ architecture: 's390x', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const loose = await pushManifest('secret/kinds', 'loose-tmp', config, 'application/vnd.oci.image.config.v1+json', push);
    const pair = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociIndex,
        manifests: [
          { mediaType: ociManifest, digest: loose.digest, size: loose.manifest.length, platform: { architecture: 's390x', os: 'linux' } },
          { mediaType: ociManifest, digest: multi.references[0].child_digest, size: 1, platform: { architecture: 'arm64', os: 'linux' } },
        ],
      }),
    );
    expect((await v2('PUT', 'secret/kinds/manifests/pair', push, pair, ociIndex)).status).toBe(201);
    expect((await v2('DELETE', 'secret/kinds/manifests/loose-tmp', await token(admin, 'repository:secret/kinds:delete'))).status).toBe(202);
    expect((await api(as('maint'), 'DELETE', '/projects/secret/repositories/kinds/artifacts/pair')).status).toBe(200);
    expect((await v2('HEAD', `secret/kinds/manifests/${loose.digest}`, bearer)).status).toBe(404);
    expect((await v2('HEAD', 'secret/kinds/manifests/arm-only', bearer)).status).toBe(200);

    const logs = await api(as('guest'), 'GET', '/projects/secret/logs?q=operation%3Ddelete,resource_type%3Dartifact&sort=op_time');
    expect(logs.json.map((e: { resource: string; username: string }) => [e.resource, e.username])).toEqual([
      [`secret/kinds@${chart.digest}`, 'maint'],
      // The registry-side tag delete made here by a client (admin) is audited from its event.
      ['secret/kinds:loose-tmp', 'admin'],
      [`secret/kinds@${sha256(pair)}`, 'maint'],
    ]);
  });

  it('audits pushes by their client, and shows project logs to members but not to outsiders or limited guests', async () => {
    const pushes = await api(admin, 'GET', '/audit-logs?q=operation%3Dcreate,resource_type%3Dartifact,resource%3Dsecret/app/web:1');
    expect(pushes.json).toEqual([expect.objectContaining({ username: 'dev' })]);
    expect(pushes.headers.get('x-total-count')).toBe('1');

    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const ranged = await api(as('dev'), 'GET', `/audit-logs?q=${encodeURIComponent(`op_time=[${since}~]`)}&page_size=2`);
    expect(ranged.status).toBe(200);
    expect(ranged.json).toHaveLength(2);
    expect(Number(ranged.headers.get('x-total-count'))).toBeGreaterThan(2);
    expect(ranged.headers.get('link')).toContain('rel="next"');
    // A non-member sees none of secret's entries.
    expect((await api(as('outsider'), 'GET', '/audit-logs?q=resource%3D~secret/')).json).toEqual([]);

    const members = await api(as('guest'), 'GET', '/projects/secret/logs?q=resource_type%3Dmember&sort=op_time');
    expect(members.json.map((e: { operation: string; resource: string; username: string }) => [e.operation, e.resource, e.username])).toEqual([
      ['create', 'dev', 'admin'],
      ['create', 'guest', 'admin'],
      ['create', 'maint', 'admin'],
      ['create', 'limited', 'admin'],
    ]);

    expect((await api(null, 'GET', '/audit-logs')).status).toBe(401);
    // Harbor answers 403 here though its swagger lists no 403 for this path.
    expect((await api(as('outsider'), 'GET', '/projects/secret/logs', undefined, false)).status).toBe(403);
    expect((await api(as('limited'), 'GET', '/projects/secret/logs', undefined, false)).status).toBe(403);
    expect((await api(as('guest'), 'GET', '/audit-logs?q=op_time%3D%5Bnot~a%20time%5D')).status).toBe(400);
  });

  it('deletes a whole repository through the registry, for maintainers, and then the project can go', async () => {
    expect((await api(as('dev'), 'DELETE', '/projects/secret/repositories/app%252Fweb')).status).toBe(403);
    expect((await api(as('maint'), 'DELETE', '/projects/secret/repositories/app%252Fweb')).status).toBe(200);
    expect((await api(as('maint'), 'DELETE', '/projects/secret/repositories/kinds')).status).toBe(200);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories/app%252Fweb')).status).toBe(404);
    expect((await api(as('guest'), 'GET', '/projects/secret/repositories')).json).toEqual([]);
    const bearer = await token(admin, 'repository:secret/app/web:pull');
    expect((await v2('HEAD', 'secret/app/web/manifests/1', bearer)).status).toBe(404);

    const logs = await api(admin, 'GET', '/audit-logs?q=resource_type%3Drepository');
    expect(logs.json.map((e: { resource: string; username: string }) => [e.resource, e.username])).toEqual([
      ['secret/kinds', 'maint'],
      ['secret/app/web', 'maint'],
    ]);
    expect((await api(admin, 'DELETE', '/projects/secret')).status).toBe(200);
    const projectLogs = await api(admin, 'GET', '/audit-logs?q=resource_type%3Dproject,resource%3Dsecret');
    expect(projectLogs.json.map((e: { operation: string; username: string }) => [e.operation, e.username])).toEqual([
      ['delete', 'admin'],
      ['create', 'admin'],
    ]);
  });
});
