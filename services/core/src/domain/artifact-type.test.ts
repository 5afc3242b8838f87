import { artifactTypeOf, ManifestFacts } from './artifact-type';
import { readManifest } from './manifest-content';

const oci = 'application/vnd.oci.image.manifest.v1+json';
const facts = (over: Partial<ManifestFacts>): ManifestFacts => ({
  manifestMediaType: oci,
  configMediaType: 'application/vnd.oci.image.config.v1+json',
  artifactType: null,
  annotations: {},
  ...over,
});

describe('artifact type detection', () => {
  it('calls OCI and Docker image manifests IMAGE', () => {
    expect(artifactTypeOf(facts({}))).toBe('IMAGE');
    expect(
      artifactTypeOf(facts({ manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json', configMediaType: 'application/vnd.docker.container.image.v1+json' })),
    ).toBe('IMAGE');
  });

  it('calls an image index or Docker manifest list IMAGE', () => {
    expect(artifactTypeOf(facts({ manifestMediaType: 'application/vnd.oci.image.index.v1+json', configMediaType: null }))).toBe('IMAGE');
    expect(artifactTypeOf(facts({ manifestMediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', configMediaType: null }))).toBe('IMAGE');
  });

  it('recognises Helm charts by their config media type', () => {
    expect(artifactTypeOf(facts({ configMediaType: 'application/vnd.cncf.helm.config.v1+json' }))).toBe('CHART');
  });

  it('recognises CNAB bundles by config type or by the index annotation', () => {
    expect(artifactTypeOf(facts({ configMediaType: 'application/vnd.cnab.config.v1+json' }))).toBe('CNAB');
    expect(
      artifactTypeOf(facts({ manifestMediaType: 'application/vnd.oci.image.index.v1+json', configMediaType: null, annotations: { 'io.cnab.runtime_version': 'v1.0.0' } })),
    ).toBe('CNAB');
  });

  it('calls any other OCI artifact UNKNOWN, including an image-config manifest with its own artifactType', () => {
    expect(artifactTypeOf(facts({ configMediaType: 'application/vnd.example.thing.config+json' }))).toBe('UNKNOWN');
    expect(artifactTypeOf(facts({ configMediaType: 'application/vnd.oci.empty.v1+json', artifactType: 'application/spdx+json' }))).toBe('UNKNOWN');
    expect(artifactTypeOf(facts({ artifactType: 'application/vnd.example+json' }))).toBe('UNKNOWN');
  });

  it('reads the facts out of stored manifest bytes, and survives bytes that are not a manifest', () => {
    const content = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 },
        layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: `sha256:${'b'.repeat(64)}`, size: 20 }],
        annotations: { a: 'b', n: 1 },
      }),
    );
    const read = readManifest(oci, content);
    expect(artifactTypeOf(read)).toBe('CHART');
    expect(read.layers.map((l) => l.size)).toEqual([20]);
    expect(read.annotations).toEqual({ a: 'b' });

    const garbage = readManifest(oci, Buffer.from('{not json'));
    expect(garbage.config).toBeNull();
    expect(artifactTypeOf(garbage)).toBe('UNKNOWN');
    expect(readManifest(oci, Buffer.from('[1,2]')).layers).toEqual([]);
  });
});
