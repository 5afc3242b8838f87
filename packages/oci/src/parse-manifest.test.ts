import { digestOf } from './digest';
import { mediaTypes } from './media-types';
import { parseManifest } from './parse-manifest';

const config = { mediaType: mediaTypes.ociConfig, digest: digestOf('{}'), size: 2 };
const layer = { mediaType: mediaTypes.ociLayerGzip, digest: digestOf('layer'), size: 5 };
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('manifest parsing', () => {
  it('reads an OCI image manifest: blobs, subject and artifactType', () => {
    const subject = { mediaType: mediaTypes.ociManifest, digest: digestOf('subject'), size: 7 };
    const result = parseManifest(
      bytes({ schemaVersion: 2, mediaType: mediaTypes.ociManifest, artifactType: 'application/x.sbom', config, layers: [layer], subject }),
      mediaTypes.ociManifest,
    );
    expect(result).toMatchObject({ ok: true, manifest: { mediaType: mediaTypes.ociManifest, kind: 'image', artifactType: 'application/x.sbom' } });
    if (!result.ok) throw new Error('unreachable');
    expect(result.manifest.blobs.map((b) => b.digest)).toEqual([config.digest, layer.digest]);
    expect(result.manifest.subject?.digest).toBe(subject.digest);
  });

  it('reads an index and lists its child manifests', () => {
    const child = { mediaType: mediaTypes.ociManifest, digest: digestOf('child'), size: 5, platform: { architecture: 'amd64', os: 'linux' } };
    const result = parseManifest(bytes({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [child] }), mediaTypes.ociIndex);
    expect(result.ok && result.manifest.manifests.map((m) => m.digest)).toEqual([child.digest]);
  });

  it('infers the OCI type from the content type or shape when the body has no mediaType', () => {
    const body = bytes({ schemaVersion: 2, config, layers: [] });
    expect(parseManifest(body, mediaTypes.ociManifest)).toMatchObject({ ok: true, manifest: { mediaType: mediaTypes.ociManifest } });
    expect(parseManifest(body, 'application/json')).toMatchObject({ ok: true, manifest: { mediaType: mediaTypes.ociManifest } });
  });

  it('accepts a Docker schema 2 manifest and manifest list', () => {
    const docker = bytes({ schemaVersion: 2, mediaType: mediaTypes.dockerManifest, config: { ...config, mediaType: mediaTypes.dockerConfig }, layers: [layer] });
    expect(parseManifest(docker, mediaTypes.dockerManifest).ok).toBe(true);
    const list = bytes({ schemaVersion: 2, mediaType: mediaTypes.dockerManifestList, manifests: [] });
    expect(parseManifest(list, `${mediaTypes.dockerManifestList}; charset=utf-8`).ok).toBe(true);
  });

  it('refuses schema 1 with a message that says so', () => {
    const schema1 = bytes({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] });
    for (const type of [mediaTypes.dockerSchema1Signed, mediaTypes.dockerSchema1, undefined]) {
      const result = parseManifest(schema1, type);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/schema 1/);
    }
  });

  it('refuses a Content-Type that contradicts the body', () => {
    const result = parseManifest(bytes({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] }), mediaTypes.ociManifest);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/does not match/) });
  });

  it('refuses broken JSON, bad digests, negative sizes and non-objects', () => {
    const cases: unknown[] = [
      { schemaVersion: 2, mediaType: mediaTypes.ociManifest, config: { ...config, digest: 'sha256:nothex' }, layers: [] },
      { schemaVersion: 2, mediaType: mediaTypes.ociManifest, config: { ...config, size: -1 }, layers: [] },
      { schemaVersion: 2, mediaType: mediaTypes.ociManifest, layers: [] },
      { schemaVersion: 3, config, layers: [] },
      [1, 2],
      'just a string',
    ];
    for (const c of cases) expect(parseManifest(bytes(c), mediaTypes.ociManifest).ok).toBe(false);
    expect(parseManifest(Buffer.from('{"schemaVersion":2,'), mediaTypes.ociManifest)).toEqual({ ok: false, reason: 'manifest is not valid JSON' });
  });

  it('does not require foreign layers that are fetched from their urls', () => {
    const foreign = { mediaType: mediaTypes.dockerForeignLayerGzip, digest: digestOf('win'), size: 3, urls: ['https://example.com/layer'] };
    const result = parseManifest(bytes({ schemaVersion: 2, mediaType: mediaTypes.dockerManifest, config, layers: [foreign, layer] }));
    expect(result.ok && result.manifest.blobs.map((b) => b.digest)).toEqual([config.digest, layer.digest]);
  });
});
