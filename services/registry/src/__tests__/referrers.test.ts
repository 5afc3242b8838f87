import { digestOf, mediaTypes } from '@harbor/oci';
import { all, Harness, imageManifest, pushBlob, putManifest, startRegistry } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/referred';
const auth = () => h.bearer(all(name));
const sbomType = 'application/vnd.example.sbom.v1+json';
const signatureConfigType = 'application/vnd.example.signature.config.v1+json';

interface IndexBody {
  schemaVersion: number;
  mediaType: string;
  manifests: Array<{ mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string> }>;
}

/** An artifact manifest (empty config) in `repo` whose subject is `subject`. */
async function pushArtifact(repo: string, subject: { digest: string; size: number }, extra: Record<string, unknown>, tag?: string) {
  const empty = await pushBlob(h, repo, '{}', h.bearer(all(repo)));
  const payload = await pushBlob(h, repo, `payload ${JSON.stringify(extra)}`, h.bearer(all(repo)));
  const manifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: { mediaType: mediaTypes.ociEmpty, digest: empty, size: 2 },
    layers: [{ mediaType: 'application/octet-stream', digest: payload, size: Buffer.byteLength(`payload ${JSON.stringify(extra)}`) }],
    subject: { mediaType: mediaTypes.ociManifest, ...subject },
    ...extra,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const res = await h.http
    .put(`/v2/${repo}/manifests/${tag ?? digestOf(bytes)}`)
    .set('Authorization', h.bearer(all(repo)))
    .set('Content-Type', mediaTypes.ociManifest)
    .send(bytes.toString('utf8'));
  expect(res.status).toBe(201);
  expect(res.headers['oci-subject']).toBe(subject.digest);
  return { bytes, digest: digestOf(bytes) };
}

function referrers(digest: string, query = '', repo = name) {
  return h.http.get(`/v2/${repo}/referrers/${digest}${query}`).set('Authorization', h.bearer(all(repo)));
}

describe('referrers API', () => {
  let subject: { digest: string; size: number };
  let sbom: { bytes: Buffer; digest: string };
  let signature: { bytes: Buffer; digest: string };

  beforeAll(async () => {
    const image = await imageManifest(h, name, ['referred-layer']);
    await putManifest(h, name, 'v1', image.bytes).expect(201);
    subject = { digest: image.digest, size: image.bytes.length };
    sbom = await pushArtifact(name, subject, { artifactType: sbomType, annotations: { 'org.example.kind': 'sbom', 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' } });
    // No artifactType: the config's media type stands in for it.
    const signatureManifest = await imageManifest(h, name, ['signature-bytes'], {
      subject: { mediaType: mediaTypes.ociManifest, ...subject },
    });
    const bytes = Buffer.from(
      JSON.stringify({ ...signatureManifest.manifest, config: { ...signatureManifest.manifest.config, mediaType: signatureConfigType } }),
    );
    await putManifest(h, name, digestOf(bytes), bytes).expect(201);
    signature = { bytes, digest: digestOf(bytes) };
  });

  it('lists every manifest whose subject is the digest as an OCI image index', async () => {
    const res = await referrers(subject.digest);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(mediaTypes.ociIndex);
    expect(res.headers['oci-filters-applied']).toBeUndefined();
    const body = JSON.parse(res.text) as IndexBody;
    expect(body.schemaVersion).toBe(2);
    expect(body.mediaType).toBe(mediaTypes.ociIndex);
    expect(body.manifests).toEqual([
      {
        mediaType: mediaTypes.ociManifest,
        digest: sbom.digest,
        size: sbom.bytes.length,
        artifactType: sbomType,
        annotations: { 'org.example.kind': 'sbom', 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
      },
      { mediaType: mediaTypes.ociManifest, digest: signature.digest, size: signature.bytes.length, artifactType: signatureConfigType },
    ]);
  });

  it('filters by artifactType and says so with OCI-Filters-Applied', async () => {
    const res = await referrers(subject.digest, `?artifactType=${encodeURIComponent(sbomType)}`);
    expect(res.status).toBe(200);
    expect(res.headers['oci-filters-applied']).toBe('artifactType');
    expect((JSON.parse(res.text) as IndexBody).manifests.map((m) => m.digest)).toEqual([sbom.digest]);
    const none = await referrers(subject.digest, '?artifactType=application%2Fvnd.nothing');
    expect(none.headers['oci-filters-applied']).toBe('artifactType');
    expect((JSON.parse(none.text) as IndexBody).manifests).toEqual([]);
  });

  it('answers an empty index, not 404, when nothing refers to the digest or the repository is new', async () => {
    for (const res of [await referrers(digestOf('nothing refers to me')), await referrers(subject.digest, '', 'library/never-pushed')]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(mediaTypes.ociIndex);
      expect(JSON.parse(res.text)).toEqual({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] });
    }
  });

  it('accepts a referrer pushed before its subject and lists it', async () => {
    const future = { digest: digestOf('a subject that comes later'), size: 26 };
    const early = await pushArtifact(name, future, { artifactType: sbomType });
    const res = await referrers(future.digest);
    expect((JSON.parse(res.text) as IndexBody).manifests.map((m) => m.digest)).toEqual([early.digest]);
  });

  it("does not list another repository's referrers", async () => {
    const other = 'library/elsewhere';
    await pushArtifact(other, subject, { artifactType: 'application/vnd.example.elsewhere' });
    const mine = JSON.parse((await referrers(subject.digest)).text) as IndexBody;
    expect(mine.manifests.map((m) => m.artifactType)).not.toContain('application/vnd.example.elsewhere');
    const theirs = JSON.parse((await referrers(subject.digest, '', other)).text) as IndexBody;
    expect(theirs.manifests.map((m) => m.artifactType)).toEqual(['application/vnd.example.elsewhere']);
  });

  it('refuses a malformed digest with DIGEST_INVALID', async () => {
    for (const bad of ['sha256:xyz', 'latest', `sha256:${'A'.repeat(64)}`]) {
      const res = await referrers(bad);
      expect([bad, res.status, res.body.errors?.[0]?.code]).toEqual([bad, 400, 'DIGEST_INVALID']);
    }
  });

  it('needs pull on the repository', async () => {
    const anonymous = await h.http.get(`/v2/${name}/referrers/${subject.digest}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain(`scope="repository:${name}:pull"`);
    const otherRepo = await h.http.get(`/v2/${name}/referrers/${subject.digest}`).set('Authorization', h.bearer('repository:library/elsewhere:pull'));
    expect(otherRepo.status).toBe(401);
    const pullOnly = await h.http.get(`/v2/${name}/referrers/${subject.digest}`).set('Authorization', h.bearer(`repository:${name}:pull`));
    expect(pullOnly.status).toBe(200);
  });

  it('keeps listing referrers after their subject is deleted, and drops each referrer once it is deleted', async () => {
    const image = await imageManifest(h, name, ['short-lived subject']);
    await putManifest(h, name, 'short-lived', image.bytes).expect(201);
    const target = { digest: image.digest, size: image.bytes.length };
    const first = await pushArtifact(name, target, { artifactType: sbomType });
    const second = await pushArtifact(name, target, { artifactType: 'application/vnd.example.other' });
    await h.http.delete(`/v2/${name}/manifests/${image.digest}`).set('Authorization', auth()).expect(202);
    const afterSubject = JSON.parse((await referrers(target.digest)).text) as IndexBody;
    expect(afterSubject.manifests.map((m) => m.digest)).toEqual([first.digest, second.digest]);
    await h.http.delete(`/v2/${name}/manifests/${first.digest}`).set('Authorization', auth()).expect(202);
    const afterReferrer = JSON.parse((await referrers(target.digest)).text) as IndexBody;
    expect(afterReferrer.manifests.map((m) => m.digest)).toEqual([second.digest]);
  });

  it('answers only GET', async () => {
    const res = await h.http.delete(`/v2/${name}/referrers/${subject.digest}`).set('Authorization', auth());
    expect([res.status, res.body.errors[0].code]).toEqual([405, 'UNSUPPORTED']);
    expect(res.headers.allow).toBe('GET');
  });
});
