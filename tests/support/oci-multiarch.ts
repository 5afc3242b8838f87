import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PlatformImage {
  architecture: string;
  manifestDigest: string;
  configDigest: string;
  layerDigest: string;
}

export interface MultiArchLayout {
  /** Directory usable as `oci:<dir>:<tag>` by skopeo. */
  dir: string;
  tag: string;
  indexDigest: string;
  indexBytes: Buffer;
  images: PlatformImage[];
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * Writes an OCI image layout holding an image index made here (no network):
 * one image per architecture, each with its own one-file layer and config,
 * and index.json naming the index by `tag`.
 */
export function buildMultiArchLayout(dir: string, tag: string, architectures: string[] = ['amd64', 'arm64']): MultiArchLayout {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const store = (bytes: Buffer) => {
    writeFileSync(join(blobs, sha256(bytes).slice(7)), bytes);
    return sha256(bytes);
  };
  const images: PlatformImage[] = [];
  const descriptors = [];
  for (const architecture of architectures) {
    const rootfs = join(dir, '..', `${tag}-${architecture}-rootfs-${randomBytes(3).toString('hex')}`);
    mkdirSync(rootfs, { recursive: true });
    writeFileSync(join(rootfs, 'arch.txt'), `${architecture} ${randomBytes(16).toString('hex')}\n`);
    const tar = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', '-', '.']);
    const layer = gzipSync(tar);
    const config = Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: { Cmd: ['/arch.txt'] },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        history: [{ created: new Date().toISOString(), created_by: `harbor-ts e2e: COPY arch.txt / (${architecture})` }],
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
    const layerDigest = store(layer);
    const configDigest = store(config);
    const manifestDigest = store(manifest);
    images.push({ architecture, manifestDigest, configDigest, layerDigest });
    descriptors.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: manifestDigest,
      size: manifest.length,
      platform: { architecture, os: 'linux' },
    });
  }
  const indexBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors }));
  const indexDigest = store(indexBytes);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: indexDigest,
          size: indexBytes.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { dir, tag, indexDigest, indexBytes, images };
}
