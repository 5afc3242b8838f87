import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

export interface BuiltImage {
  /** Directory usable as `oci:<dir>:<tag>` by skopeo. */
  dir: string;
  tag: string;
  manifestDigest: string;
  layerDigest: string;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * Writes a one-layer OCI image layout made here (no network, no daemon): a
 * layer holding a file with random content, its config, its manifest and
 * the index naming it by tag.
 */
export function buildOciLayout(dir: string, tag = 'latest'): BuiltImage {
  const rootfs = join(dir, '..', `${tag}-rootfs-${randomBytes(3).toString('hex')}`);
  mkdirSync(rootfs, { recursive: true });
  writeFileSync(join(rootfs, 'hello.txt'), `hello from harbor-ts e2e ${randomBytes(16).toString('hex')}\n`);
  const tar = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', '-', '.']);
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created: new Date().toISOString(), created_by: 'harbor-ts e2e: COPY hello.txt /' }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  for (const blob of [layer, config, manifest]) writeFileSync(join(blobs, sha256(blob).slice(7)), blob);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { dir, tag, manifestDigest: sha256(manifest), layerDigest: sha256(layer) };
}

/** Writes a build context whose Dockerfile needs nothing from the network. */
export function writeScratchContext(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hello.txt'), `hello from harbor-ts e2e ${randomBytes(16).toString('hex')}\n`);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\nCMD ["/hello.txt"]\n');
  return dir;
}
