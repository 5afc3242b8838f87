import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface LayeredImage {
  /** Directory usable as `oci:<dir>:<tag>` by skopeo. */
  dir: string;
  tag: string;
  manifestDigest: string;
  configDigest: string;
  /** In manifest order. */
  layerDigests: string[];
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * Writes an OCI image layout (no network, no daemon) of one image with a
 * layer per entry of `fileSizes`: each a gzipped tar holding one file of
 * that many random bytes, so the layers are as large as asked (random bytes
 * do not compress) and no two images built here share a blob.
 */
export function buildLayeredLayout(dir: string, tag: string, fileSizes: number[]): LayeredImage {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const store = (bytes: Buffer) => {
    writeFileSync(join(blobs, sha256(bytes).slice(7)), bytes);
    return { digest: sha256(bytes), size: bytes.length };
  };
  const diffIds: string[] = [];
  const layers = fileSizes.map((size, i) => {
    const rootfs = join(dir, '..', `${tag}-layer${i}-${randomBytes(3).toString('hex')}`);
    mkdirSync(rootfs, { recursive: true });
    writeFileSync(join(rootfs, `layer${i}.bin`), randomBytes(size));
    const tar = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', '-', '.'], {
      maxBuffer: size + 1024 * 1024,
    });
    diffIds.push(sha256(tar));
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...store(gzipSync(tar)) };
  });
  const config = store(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: fileSizes.map((_, i) => ({ created: new Date().toISOString(), created_by: `harbor-ts e2e: COPY layer${i}.bin /` })),
      }),
    ),
  );
  const manifest = store(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers,
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
  return { dir, tag, manifestDigest: manifest.digest, configDigest: config.digest, layerDigests: layers.map((l) => l.digest) };
}
