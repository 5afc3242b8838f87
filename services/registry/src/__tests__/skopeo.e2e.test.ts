import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseBasicAuth, parseScopes, signRegistryToken } from '@harbor/auth';
import { close, listen } from '@harbor/http';
import { digestOf, mediaTypes } from '@harbor/oci';
import { rsaKeyPair, tempDir, TempDir } from '@harbor/testkit';
import { Harness, issuer, service, startRegistry } from './harness';

const run = promisify(execFile);

/**
 * A real client against the registry: skopeo pushes an OCI layout built here
 * (no network) and pulls it back. A stand-in token service grants whatever
 * scope `admin:secret` asks for, the way core grants an administrator.
 */
describe('skopeo push and pull', () => {
  const keys = rsaKeyPair();
  let tokenServer: Server;
  let h: Harness;
  let work: TempDir;
  let host: string;

  beforeAll(async () => {
    tokenServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const credentials = parseBasicAuth(req.headers.authorization);
      if (url.pathname !== '/service/token' || credentials?.username !== 'admin' || credentials.password !== 'secret') {
        res.statusCode = 401;
        res.end();
        return;
      }
      const issued = signRegistryToken({
        ...keys,
        issuer,
        audience: service,
        subject: 'admin',
        access: parseScopes(url.searchParams.getAll('scope')),
        expiresInSeconds: 300,
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ token: issued.token, access_token: issued.token, expires_in: 300, issued_at: issued.issuedAt }));
    });
    const tokenPort = await listen(tokenServer, 0, '127.0.0.1');
    h = await startRegistry({ keys, externalUrl: `http://127.0.0.1:${tokenPort}` });
    host = new URL(h.url).host;
    work = tempDir('harbor-skopeo-');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    if (tokenServer) await close(tokenServer);
    work?.remove();
  });

  /** An OCI image layout with one real gzipped tar layer. */
  async function buildLayout(dir: string): Promise<{ manifestDigest: string; layerDigest: string }> {
    const blobs = join(dir, 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const content = join(work.path, 'content');
    mkdirSync(content, { recursive: true });
    writeFileSync(join(content, 'hello.txt'), `hello from harbor-ts ${Date.now()}\n`);
    const layerFile = join(work.path, 'layer.tar.gz');
    await run('tar', ['-czf', layerFile, '-C', content, 'hello.txt']);
    const layer = readFileSync(layerFile);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: digestOf(layer), size: layer.length }],
    }));
    for (const blob of [layer, config, manifest]) writeFileSync(join(blobs, digestOf(blob).slice(7)), blob);
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: mediaTypes.ociManifest, digest: digestOf(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }],
    }));
    return { manifestDigest: digestOf(manifest), layerDigest: digestOf(layer) };
  }

  it('pushes an image with skopeo copy and pulls it back byte for byte', async () => {
    const source = join(work.path, 'source');
    const { manifestDigest, layerDigest } = await buildLayout(source);
    await run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', 'admin:secret', `oci:${source}:v1`, `docker://${host}/library/skopeo:v1`], { timeout: 60_000 });

    const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', 'admin:secret', `docker://${host}/library/skopeo:v1`]);
    expect(digestOf(Buffer.from(stdout))).toBe(manifestDigest);

    const target = join(work.path, 'pulled');
    await run('skopeo', ['copy', '--src-tls-verify=false', '--src-creds', 'admin:secret', `docker://${host}/library/skopeo:v1`, `oci:${target}:v1`], { timeout: 60_000 });
    const pulledIndex = JSON.parse(readFileSync(join(target, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(pulledIndex.manifests[0]!.digest).toBe(manifestDigest);
    const pulledLayer = readFileSync(join(target, 'blobs', 'sha256', layerDigest.slice(7)));
    expect(digestOf(pulledLayer)).toBe(layerDigest);

    // and a second push of the same image into another repository mounts or re-sends, ending identical
    await run('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--src-creds', 'admin:secret', '--dest-creds', 'admin:secret',
      `docker://${host}/library/skopeo:v1`, `docker://${host}/team/copy:v1`], { timeout: 60_000 });
    const copied = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', 'admin:secret', `docker://${host}/team/copy:v1`]);
    expect(digestOf(Buffer.from(copied.stdout))).toBe(manifestDigest);
  }, 120_000);

  it('is refused with bad credentials', async () => {
    const source = join(work.path, 'refused');
    await buildLayout(source);
    await expect(
      run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', 'admin:wrong', `oci:${source}:v1`, `docker://${host}/library/refused:v1`], { timeout: 60_000 }),
    ).rejects.toThrow(/401|unauthorized|authentication required/i);
  }, 60_000);
});
