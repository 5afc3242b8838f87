import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A ustar header + body + padding for one regular file, enough for a layer. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
  field(name, 0, 100);
  field('0000644\0', 100, 8);
  field('0000000\0', 108, 8);
  field('0000000\0', 116, 8);
  field(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  field('00000000000\0', 136, 12);
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar\0', 257, 6);
  field('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/**
 * Writes an OCI image layout of `layers` uncompressed tar layers, each one
 * file of `layerBytes` random bytes, tagged `tag`. Fresh random content on
 * every call, so no registry or skopeo cache can skip a blob between runs.
 */
export function writeImageLayout(dir: string, layers: number, layerBytes: number, tag = 'v1'): { totalBytes: number } {
  rmSync(dir, { recursive: true, force: true });
  const blobsDir = join(dir, 'blobs', 'sha256');
  mkdirSync(blobsDir, { recursive: true });
  const write = (blob: Buffer) => {
    const digest = sha256(blob);
    writeFileSync(join(blobsDir, digest.slice(7)), blob);
    return digest;
  };
  const layerDescriptors = [];
  const diffIds = [];
  let totalBytes = 0;
  for (let i = 0; i < layers; i++) {
    const tar = tarOf(`layer-${i}.bin`, randomBytes(layerBytes));
    diffIds.push(sha256(tar));
    layerDescriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: write(tar), size: tar.length });
    totalBytes += tar.length;
  }
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: write(config), size: config.length },
      layers: layerDescriptors,
    }),
  );
  const manifestDigest = write(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { totalBytes: totalBytes + config.length + manifest.length };
}

// hyperfine runs this file (through @swc-node/register) before each timed push.
if (require.main === module) {
  const [dir, layers, layerBytes] = process.argv.slice(2);
  if (!dir || !layers || !layerBytes) {
    process.stderr.write('usage: image-layout <dir> <layers> <layerBytes>\n');
    process.exit(2);
  }
  writeImageLayout(dir, Number(layers), Number(layerBytes));
}
