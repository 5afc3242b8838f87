import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { buildMultiArchLayout, MultiArchLayout, sha256 } from '../support/oci-multiarch';
import { RegistryClient } from '../support/registry-client';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(240_000);

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociIndex = 'application/vnd.oci.image.index.v1+json';
const dockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
const dockerManifestList = 'application/vnd.docker.distribution.manifest.list.v2+json';
const emptyConfig = 'application/vnd.oci.empty.v1+json';
const sbomType = 'application/vnd.example.sbom.v1+json';
const signatureType = 'application/vnd.example.signature.v1';

interface IndexBody {
  mediaType: string;
  manifests: Array<{ mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string>; platform?: { architecture: string } }>;
}

/**
 * Issue 3's protocol with real clients through the proxy and token auth: a
 * multi-arch index with `--all` (skopeo and podman), a Docker v2 image, an
 * OCI artifact with artifactType, referrers whose subject is the image, and
 * the referrers list with its filter.
 */
describe('OCI artifacts, multi-arch indexes and referrers against the whole suite', () => {
  let suite: RunningSuite;
  let registry: RegistryClient;
  let multi: MultiArchLayout;
  let single: BuiltImage;
  const authfile = () => join(suite.dir, 'auth.json');
  const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 180_000 });
  const podman = (...args: string[]) =>
    run('podman', ['--root', join(suite.dir, 'podman', 'root'), '--runroot', join(suite.dir, 'podman', 'run'), '--storage-driver', 'vfs', ...args], {
      timeoutMs: 180_000,
      env: { REGISTRY_AUTH_FILE: authfile() },
    });
  const blobPath = (dir: string, digest: string) => join(dir, 'blobs', 'sha256', digest.slice(7));

  beforeAll(async () => {
    suite = await startSuite();
    registry = new RegistryClient(suite.url, 'admin', suite.adminPassword);
    multi = buildMultiArchLayout(join(suite.dir, 'multi'), '1');
    single = buildOciLayout(join(suite.dir, 'single'), '1');
    ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile(), '-u', 'admin', '-p', suite.adminPassword, suite.host), 'skopeo login');
  });
  afterAll(async () => suite?.stop());

  it('pushes a multi-arch index with skopeo copy --all and pulls every platform back with the same digests', async () => {
    const ref = `docker://${suite.host}/library/multi:1`;
    ok(await skopeo('copy', '--all', '--dest-tls-verify=false', '--authfile', authfile(), `oci:${multi.dir}:1`, ref), 'skopeo copy --all (push)');

    const raw = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), ref), 'inspect index');
    expect(sha256(raw.stdout)).toBe(multi.indexDigest);
    for (const image of multi.images) {
      const platform = ok(
        await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${suite.host}/library/multi@${image.manifestDigest}`),
        `inspect ${image.architecture}`,
      );
      expect(sha256(platform.stdout)).toBe(image.manifestDigest);
    }

    const pulled = join(suite.dir, 'multi-pulled');
    ok(await skopeo('copy', '--all', '--src-tls-verify=false', '--authfile', authfile(), ref, `oci:${pulled}:1`), 'skopeo copy --all (pull)');
    const index = JSON.parse(readFileSync(join(pulled, 'index.json'), 'utf8')) as IndexBody;
    expect(index.manifests[0]!.digest).toBe(multi.indexDigest);
    for (const image of multi.images) {
      for (const digest of [image.manifestDigest, image.configDigest, image.layerDigest]) {
        expect(readFileSync(blobPath(pulled, digest))).toEqual(readFileSync(blobPath(multi.dir, digest)));
      }
    }
  });

  it('lets podman pull one platform of the index, and push a manifest list built from it with --all', async () => {
    const arm64 = multi.images.find((i) => i.architecture === 'arm64')!;
    ok(await podman('pull', '--tls-verify=false', '--platform', 'linux/arm64', `${suite.host}/library/multi:1`), 'podman pull --platform linux/arm64');
    const id = ok(await podman('image', 'inspect', '--format', '{{.Id}}', `${suite.host}/library/multi:1`), 'podman image inspect').stdout.trim();
    // An image's ID is its config digest: podman got the arm64 image, bytes intact.
    expect(`sha256:${id}`).toBe(arm64.configDigest);

    // podman reads the index from the registry (every instance of it) into a list of its own…
    ok(await podman('manifest', 'create', 'localhost/e2e-list'), 'podman manifest create');
    ok(await podman('manifest', 'add', '--all', '--tls-verify=false', 'localhost/e2e-list', `docker://${suite.host}/library/multi:1`), 'podman manifest add --all');
    const local = JSON.parse(ok(await podman('manifest', 'inspect', 'localhost/e2e-list'), 'podman manifest inspect').stdout) as IndexBody;
    expect(local.manifests.map((m) => m.digest).sort()).toEqual(multi.images.map((i) => i.manifestDigest).sort());

    // …and pushes it, with every image it names, to another repository.
    const target = `${suite.host}/library/podman-multi`;
    ok(await podman('manifest', 'push', '--all', '--tls-verify=false', 'localhost/e2e-list', `docker://${target}:1`), 'podman manifest push --all');
    const pushed = JSON.parse(ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${target}:1`), 'inspect podman list').stdout) as IndexBody;
    expect(pushed.manifests.map((m) => m.digest).sort()).toEqual(multi.images.map((i) => i.manifestDigest).sort());
    for (const image of multi.images) {
      const child = await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${target}@${image.manifestDigest}`);
      expect(sha256(ok(child, `inspect pushed ${image.architecture}`).stdout)).toBe(image.manifestDigest);
    }
  });

  it('stores a Docker v2 image converted by skopeo and hands podman the same digest back', async () => {
    const ref = `${suite.host}/library/dockerv2:1`;
    ok(
      await skopeo('copy', '--format', 'v2s2', '--dest-tls-verify=false', '--authfile', authfile(), `oci:${single.dir}:1`, `docker://${ref}`),
      'skopeo copy --format v2s2',
    );
    const raw = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${ref}`), 'inspect v2s2');
    const manifest = JSON.parse(raw.stdout) as { mediaType: string; layers: Array<{ digest: string }> };
    expect(manifest.mediaType).toBe(dockerManifest);
    expect(manifest.layers[0]!.digest).toBe(single.layerDigest);
    const digest = sha256(raw.stdout);

    const token = await registry.token('repository:library/dockerv2:pull');
    const head = await registry.request('HEAD', '/v2/library/dockerv2/manifests/1', token, { headers: { accept: dockerManifest } });
    expect([head.status, head.headers.get('content-type'), head.headers.get('docker-content-digest')]).toEqual([200, dockerManifest, digest]);

    ok(await podman('pull', '--tls-verify=false', ref), 'podman pull v2s2');
    const pulledDigest = ok(await podman('image', 'inspect', '--format', '{{.Digest}}', ref), 'podman inspect v2s2').stdout.trim();
    expect(pulledDigest).toBe(digest);
  });

  it('stores a Docker manifest list from skopeo --all --format v2s2 and negotiates it by Accept', async () => {
    const ref = `docker://${suite.host}/library/dockerlist:1`;
    ok(await skopeo('copy', '--all', '--format', 'v2s2', '--dest-tls-verify=false', '--authfile', authfile(), `oci:${multi.dir}:1`, ref), 'skopeo copy --all --format v2s2');
    const raw = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), ref), 'inspect list');
    const list = JSON.parse(raw.stdout) as IndexBody & { manifests: Array<{ platform: { architecture: string } }> };
    expect(list.mediaType).toBe(dockerManifestList);
    expect(list.manifests.map((m) => m.mediaType)).toEqual([dockerManifest, dockerManifest]);

    const token = await registry.token('repository:library/dockerlist:pull');
    const asList = await registry.request('GET', '/v2/library/dockerlist/manifests/1', token, { headers: { accept: `${dockerManifestList}, ${dockerManifest}` } });
    expect([asList.status, asList.headers.get('docker-content-digest')]).toEqual([200, sha256(raw.stdout)]);
    // A client that cannot read lists gets the linux/amd64 image, as from CNCF Distribution.
    const amd64 = list.manifests.find((m) => m.platform?.architecture === 'amd64')!;
    const single = await registry.request('GET', '/v2/library/dockerlist/manifests/1', token, { headers: { accept: dockerManifest } });
    expect([single.status, single.headers.get('content-type'), single.headers.get('docker-content-digest')]).toEqual([200, dockerManifest, amd64.digest]);
    // One that reads neither gets MANIFEST_UNKNOWN in the OCI envelope.
    const neither = await registry.request('GET', '/v2/library/dockerlist/manifests/1', token, { headers: { accept: ociManifest } });
    expect(neither.status).toBe(404);
    expect(((await neither.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it('stores an OCI artifact with artifactType and referrers of the image, and lists them with the filter', async () => {
    const name = 'library/multi';
    const token = await registry.token(`repository:${name}:pull,push`);
    const empty = await registry.pushBlob(name, Buffer.from('{}'), token);
    const subject = { mediaType: ociIndex, digest: multi.indexDigest, size: multi.indexBytes.length };

    const artifact = async (artifactType: string, content: string, extra: Record<string, unknown>) => {
      const payload = Buffer.from(content);
      const layer = await registry.pushBlob(name, payload, token);
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: ociManifest,
          artifactType,
          config: { mediaType: emptyConfig, digest: empty, size: 2 },
          layers: [{ mediaType: 'application/json', digest: layer, size: payload.length }],
          ...extra,
        }),
      );
      return { bytes, digest: sha256(bytes), layer, payload };
    };

    // A plain artifact under a tag: read back byte for byte by a real client.
    const standalone = await artifact('application/vnd.example.config.v1+json', '{"setting":true}', { annotations: { 'org.example.note': 'standalone' } });
    const put = await registry.putManifest(name, 'config-artifact', standalone.bytes, ociManifest, token);
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(standalone.digest);
    const raw = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${suite.host}/${name}:config-artifact`), 'inspect artifact');
    expect(sha256(raw.stdout)).toBe(standalone.digest);
    expect((JSON.parse(raw.stdout) as { artifactType: string }).artifactType).toBe('application/vnd.example.config.v1+json');
    const blob = await registry.request('GET', `/v2/${name}/blobs/${standalone.layer}`, token);
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(standalone.payload);

    // Two referrers of the multi-arch image, pushed by digest as ORAS does.
    const sbom = await artifact(sbomType, '{"packages":[]}', { subject, annotations: { 'org.example.kind': 'sbom' } });
    const signature = await artifact(signatureType, `signature ${randomBytes(8).toString('hex')}`, { subject });
    for (const referrer of [sbom, signature]) {
      const res = await registry.putManifest(name, referrer.digest, referrer.bytes, ociManifest, token);
      expect(res.status).toBe(201);
      expect(res.headers.get('oci-subject')).toBe(multi.indexDigest);
    }

    const listed = await registry.request('GET', `/v2/${name}/referrers/${multi.indexDigest}`, token);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toBe(ociIndex);
    const index = (await listed.json()) as IndexBody;
    expect(index.mediaType).toBe(ociIndex);
    expect(index.manifests).toEqual([
      { mediaType: ociManifest, digest: sbom.digest, size: sbom.bytes.length, artifactType: sbomType, annotations: { 'org.example.kind': 'sbom' } },
      { mediaType: ociManifest, digest: signature.digest, size: signature.bytes.length, artifactType: signatureType },
    ]);

    const filtered = await registry.request('GET', `/v2/${name}/referrers/${multi.indexDigest}?artifactType=${encodeURIComponent(sbomType)}`, token);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as IndexBody).manifests.map((m) => m.digest)).toEqual([sbom.digest]);

    const nothing = await registry.request('GET', `/v2/${name}/referrers/${multi.images[0]!.manifestDigest}`, token);
    expect([nothing.status, ((await nothing.json()) as IndexBody).manifests]).toEqual([200, []]);

    // The image itself still pulls unchanged with its referrers beside it.
    const again = ok(await skopeo('inspect', '--raw', '--tls-verify=false', '--authfile', authfile(), `docker://${suite.host}/${name}:1`), 'inspect index again');
    expect(sha256(again.stdout)).toBe(multi.indexDigest);
  });

  it('lists the catalog for the system admin only', async () => {
    const adminToken = await registry.token('registry:catalog:*');
    const catalog = await registry.request('GET', '/v2/_catalog', adminToken);
    expect(catalog.status).toBe(200);
    expect(((await catalog.json()) as { repositories: string[] }).repositories).toEqual(
      expect.arrayContaining(['library/dockerlist', 'library/dockerv2', 'library/multi', 'library/podman-multi']),
    );

    const password = `Us3r${randomBytes(6).toString('hex')}`;
    await new HarborApi(suite.url, 'admin', suite.adminPassword).createUser('plainuser', password);
    const userToken = await new RegistryClient(suite.url, 'plainuser', password).token('registry:catalog:*');
    const refused = await registry.request('GET', '/v2/_catalog', userToken);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('UNAUTHORIZED');
  });
});
