import { hostname } from 'node:os';
import { digestOf, mediaTypes } from '@harbor/oci';
import { waitFor } from '@harbor/testkit';
import { startRegistry, Harness, all, imageManifest, pushBlob, putManifest, internalSecret } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/app';
const auth = () => h.bearer(all(name));

describe('manifest push and pull', () => {
  it('stores an OCI image manifest by tag and answers it by tag and by digest', async () => {
    const { bytes, digest } = await imageManifest(h, name);
    const put = await putManifest(h, name, 'v1', bytes);
    expect([put.status, put.body]).toEqual([201, {}]);
    expect(put.headers['docker-content-digest']).toBe(digest);
    expect(put.headers.location).toBe(`/v2/${name}/manifests/${digest}`);

    for (const reference of ['v1', digest]) {
      const get = await h.http.get(`/v2/${name}/manifests/${reference}`).set('Authorization', auth()).set('Accept', mediaTypes.ociManifest);
      expect(get.status).toBe(200);
      expect(get.headers['content-type']).toBe(mediaTypes.ociManifest);
      expect(get.headers['docker-content-digest']).toBe(digest);
      expect(Buffer.from(get.text ?? get.body).equals(bytes)).toBe(true);
      const head = await h.http.head(`/v2/${name}/manifests/${reference}`).set('Authorization', auth());
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(bytes.length));
      expect(head.headers['docker-content-digest']).toBe(digest);
    }
    const row = await h.db.selectFrom('manifest').selectAll().where('digest', '=', digest).executeTakeFirstOrThrow();
    expect(Buffer.from(row.content).equals(bytes)).toBe(true);
    const refs = await h.db.selectFrom('manifest_reference').select(['digest', 'kind']).where('manifest_id', '=', row.id).execute();
    expect(refs).toHaveLength(2);
    expect(refs.every((r) => r.kind === 'blob')).toBe(true);
  });

  it('keeps the exact bytes: whitespace changes the digest', async () => {
    const { manifest } = await imageManifest(h, name);
    const pretty = Buffer.from(JSON.stringify(manifest, null, 3));
    const put = await putManifest(h, name, 'pretty', pretty);
    expect(put.headers['docker-content-digest']).toBe(digestOf(pretty));
  });

  it('moves a tag to a newer manifest', async () => {
    const first = await imageManifest(h, name, ['a']);
    const second = await imageManifest(h, name, ['b']);
    await putManifest(h, name, 'moving', first.bytes).expect(201);
    await putManifest(h, name, 'moving', second.bytes).expect(201);
    const head = await h.http.head(`/v2/${name}/manifests/moving`).set('Authorization', auth());
    expect(head.headers['docker-content-digest']).toBe(second.digest);
  });

  it('accepts Docker schema 2 manifests and manifest lists, and OCI indexes', async () => {
    const configBytes = '{"architecture":"arm64","os":"linux"}';
    const config = await pushBlob(h, name, configBytes);
    const layer = await pushBlob(h, name, 'docker-layer');
    const docker = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.dockerManifest,
      config: { mediaType: mediaTypes.dockerConfig, digest: config, size: configBytes.length },
      layers: [{ mediaType: mediaTypes.dockerLayerGzip, digest: layer, size: 12 }],
    }));
    await putManifest(h, name, 'docker', docker, mediaTypes.dockerManifest).expect(201);
    const list = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.dockerManifestList,
      manifests: [{ mediaType: mediaTypes.dockerManifest, digest: digestOf(docker), size: docker.length, platform: { architecture: 'arm64', os: 'linux' } }],
    }));
    await putManifest(h, name, 'list', list, mediaTypes.dockerManifestList).expect(201);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: [{ mediaType: mediaTypes.dockerManifest, digest: digestOf(docker), size: docker.length }],
    }));
    await putManifest(h, name, 'index', index, mediaTypes.ociIndex).expect(201);

    // a client that reads lists gets the list; one that does not gets no linux/amd64 entry to fall back on here
    const get = await h.http.get(`/v2/${name}/manifests/list`).set('Authorization', auth()).set('Accept', mediaTypes.dockerManifestList);
    expect(get.headers['content-type']).toBe(mediaTypes.dockerManifestList);
    const single = await h.http.get(`/v2/${name}/manifests/list`).set('Authorization', auth()).set('Accept', mediaTypes.dockerManifest);
    expect([single.status, single.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const row = await h.db.selectFrom('manifest').select('id').where('digest', '=', digestOf(index)).executeTakeFirstOrThrow();
    const refs = await h.db.selectFrom('manifest_reference').select(['digest', 'kind']).where('manifest_id', '=', row.id).execute();
    expect(refs).toEqual([{ digest: digestOf(docker), kind: 'manifest' }]);
  });

  it('records subject and artifactType and answers OCI-Subject', async () => {
    const subject = await imageManifest(h, name, ['subject-layer']);
    await putManifest(h, name, 'subject', subject.bytes).expect(201);
    const empty = await pushBlob(h, name, '{}');
    const artifact = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      artifactType: 'application/vnd.example.sbom',
      config: { mediaType: mediaTypes.ociEmpty, digest: empty, size: 2 },
      layers: [{ mediaType: mediaTypes.ociEmpty, digest: empty, size: 2 }],
      subject: { mediaType: mediaTypes.ociManifest, digest: subject.digest, size: subject.bytes.length },
    }));
    const put = await putManifest(h, name, digestOf(artifact), artifact);
    expect(put.status).toBe(201);
    expect(put.headers['oci-subject']).toBe(subject.digest);
    const row = await h.db.selectFrom('manifest').selectAll().where('digest', '=', digestOf(artifact)).executeTakeFirstOrThrow();
    expect([row.subject_digest, row.artifact_type]).toEqual([subject.digest, 'application/vnd.example.sbom']);
  });
});

describe('manifest validation', () => {
  it('refuses a manifest whose layer is missing from the repository', async () => {
    const { manifest } = await imageManifest(h, name);
    const missing = digestOf('never uploaded');
    const bad = Buffer.from(JSON.stringify({ ...manifest, layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: missing, size: 3 }] }));
    const res = await putManifest(h, name, 'broken', bad);
    expect([res.status, res.body.errors[0].code, res.body.errors[0].detail]).toEqual([404, 'MANIFEST_BLOB_UNKNOWN', { digest: missing }]);
  });

  it("refuses a manifest that references another repository's blob", async () => {
    const foreign = await pushBlob(h, 'team/private', 'private layer');
    const { manifest } = await imageManifest(h, name);
    const bad = Buffer.from(JSON.stringify({ ...manifest, layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: foreign, size: 13 }] }));
    const res = await putManifest(h, name, 'borrowed', bad);
    expect([res.status, res.body.errors[0].code]).toEqual([404, 'MANIFEST_BLOB_UNKNOWN']);
  });

  it('refuses an index whose child manifest is not in the repository', async () => {
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: [{ mediaType: mediaTypes.ociManifest, digest: digestOf('no such manifest'), size: 10 }],
    }));
    const res = await putManifest(h, name, 'orphan-index', index, mediaTypes.ociIndex);
    expect([res.status, res.body.errors[0].code]).toEqual([404, 'MANIFEST_BLOB_UNKNOWN']);
  });

  it('refuses schema 1 with MANIFEST_INVALID and says why', async () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name, tag: 'old', architecture: 'amd64', fsLayers: [], history: [], signatures: [] }));
    const res = await putManifest(h, name, 'old', schema1, mediaTypes.dockerSchema1Signed);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'MANIFEST_INVALID']);
    expect(res.body.errors[0].message).toMatch(/schema 1/i);
  });

  it('refuses a Content-Type that contradicts the body, and broken JSON', async () => {
    const { bytes } = await imageManifest(h, name);
    const mismatch = await putManifest(h, name, 'mismatch', bytes, mediaTypes.ociIndex);
    expect([mismatch.status, mismatch.body.errors[0].code]).toEqual([400, 'MANIFEST_INVALID']);
    const broken = await putManifest(h, name, 'broken-json', Buffer.from('{"schemaVersion": 2,'));
    expect(broken.body.errors[0].code).toBe('MANIFEST_INVALID');
  });

  it('refuses a digest reference that does not match the bytes', async () => {
    const { bytes } = await imageManifest(h, name);
    const res = await putManifest(h, name, digestOf('something else'), bytes);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'DIGEST_INVALID']);
  });

  it('refuses an invalid tag', async () => {
    const { bytes } = await imageManifest(h, name);
    const res = await putManifest(h, name, '-bad', bytes);
    expect([res.status, res.body.errors[0].code]).toEqual([400, 'MANIFEST_INVALID']);
    const long = await putManifest(h, name, 'x'.repeat(129), bytes);
    expect(long.status).toBe(400);
  });

  it('refuses a manifest over 4 MiB without storing it', async () => {
    const { manifest } = await imageManifest(h, name);
    const huge = Buffer.from(JSON.stringify({ ...manifest, annotations: { padding: 'x'.repeat(4 * 1024 * 1024) } }));
    const res = await putManifest(h, name, 'huge', huge).catch((err: { response?: { status: number } }) => err.response);
    expect(res?.status).toBe(413);
    expect(await h.db.selectFrom('tag').select('name').where('name', '=', 'huge').executeTakeFirst()).toBeUndefined();
  });

  it('answers MANIFEST_UNKNOWN for tags and digests that are not there', async () => {
    for (const reference of ['nope', digestOf('nope')]) {
      const res = await h.http.get(`/v2/${name}/manifests/${reference}`).set('Authorization', auth());
      expect([res.status, res.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    }
  });
});

describe('manifest delete', () => {
  it('deletes a tag alone, leaving the manifest reachable by digest', async () => {
    const { bytes, digest } = await imageManifest(h, name, ['tag-delete']);
    await putManifest(h, name, 'temporary', bytes).expect(201);
    await h.http.delete(`/v2/${name}/manifests/temporary`).set('Authorization', auth()).expect(202);
    expect((await h.http.head(`/v2/${name}/manifests/temporary`).set('Authorization', auth())).status).toBe(404);
    expect((await h.http.head(`/v2/${name}/manifests/${digest}`).set('Authorization', auth())).status).toBe(200);
  });

  it('deletes a manifest by digest together with its tags', async () => {
    const { bytes, digest } = await imageManifest(h, name, ['digest-delete']);
    await putManifest(h, name, 'doomed', bytes).expect(201);
    await h.http.delete(`/v2/${name}/manifests/${digest}`).set('Authorization', auth()).expect(202);
    expect((await h.http.head(`/v2/${name}/manifests/${digest}`).set('Authorization', auth())).status).toBe(404);
    expect((await h.http.head(`/v2/${name}/manifests/doomed`).set('Authorization', auth())).status).toBe(404);
    const again = await h.http.delete(`/v2/${name}/manifests/${digest}`).set('Authorization', auth());
    expect([again.status, again.body.errors[0].code]).toEqual([404, 'MANIFEST_UNKNOWN']);
  });
});

describe('registry events', () => {
  it('tells core about pushes, pulls (GET, not HEAD) and deletes, with the internal secret', async () => {
    const repo = 'team/events';
    const { bytes, digest } = await imageManifest(h, repo, ['event-layer']);
    await putManifest(h, repo, 'e1', bytes).expect(201);
    await h.http.head(`/v2/${repo}/manifests/e1`).set('Authorization', h.bearer(all(repo))).expect(200);
    await h.http.get(`/v2/${repo}/manifests/e1`).set('Authorization', h.bearer(all(repo))).set('User-Agent', 'test-agent/1').expect(200);
    await h.http.delete(`/v2/${repo}/manifests/${digest}`).set('Authorization', h.bearer(all(repo))).expect(202);

    const mine = await waitFor('three events', () => {
      const events = h.received.events.filter((e) => e.target.repository === repo);
      return events.length >= 3 ? events : undefined;
    });
    expect(mine.map((e) => e.action).sort()).toEqual(['delete', 'pull', 'push']);
    const push = mine.find((e) => e.action === 'push')!;
    expect(push.target).toEqual({
      mediaType: mediaTypes.ociManifest,
      size: bytes.length,
      digest,
      repository: repo,
      tag: 'e1',
      url: `${h.externalUrl}/v2/${repo}/manifests/${digest}`,
    });
    expect(push.actor).toEqual({ name: 'alice' });
    expect(push.request.method).toBe('PUT');
    expect(push.source.instanceID).toMatch(/[0-9a-f-]{36}/);
    expect(push.source.addr).toBe(`${hostname()}:${new URL(h.url).port}`);
    expect(mine.find((e) => e.action === 'pull')!.request.useragent).toBe('test-agent/1');
    expect(h.received.authorizations).toContain(`Harbor-Secret ${internalSecret}`);
    expect(h.received.contentTypes).toContain('application/vnd.docker.distribution.events.v1+json');
  });
});

describe('tags list and catalog', () => {
  const repo = 'team/tagged';
  const tags = ['b', 'a', 'c10', 'c2', 'Z'];

  beforeAll(async () => {
    const { bytes } = await imageManifest(h, repo, ['tagged']);
    for (const tag of tags) await h.http.put(`/v2/${repo}/manifests/${tag}`).set('Authorization', h.bearer(all(repo))).set('Content-Type', mediaTypes.ociManifest).send(bytes.toString()).expect(201);
  });

  it('lists tags sorted', async () => {
    const res = await h.http.get(`/v2/${repo}/tags/list`).set('Authorization', h.bearer(`repository:${repo}:pull`));
    expect(res.body).toEqual({ name: repo, tags: [...tags].sort() });
    expect(res.headers.link).toBeUndefined();
  });

  it('pages with n and last and points at the next page with Link', async () => {
    const sorted = [...tags].sort();
    const first = await h.http.get(`/v2/${repo}/tags/list?n=2`).set('Authorization', h.bearer(`repository:${repo}:pull`));
    expect(first.body.tags).toEqual(sorted.slice(0, 2));
    expect(first.headers.link).toBe(`</v2/${repo}/tags/list?n=2&last=${sorted[1]}>; rel="next"`);
    const second = await h.http.get(`/v2/${repo}/tags/list?n=2&last=${sorted[1]}`).set('Authorization', h.bearer(`repository:${repo}:pull`));
    expect(second.body.tags).toEqual(sorted.slice(2, 4));
    const last = await h.http.get(`/v2/${repo}/tags/list?n=2&last=${sorted[3]}`).set('Authorization', h.bearer(`repository:${repo}:pull`));
    expect(last.body.tags).toEqual(sorted.slice(4));
    expect(last.headers.link).toBeUndefined();
    const none = await h.http.get(`/v2/${repo}/tags/list?n=0`).set('Authorization', h.bearer(`repository:${repo}:pull`));
    expect(none.body.tags).toEqual([]);
  });

  it('answers NAME_UNKNOWN for a repository that was never pushed', async () => {
    const res = await h.http.get('/v2/team/never/tags/list').set('Authorization', h.bearer(all('team/never')));
    expect([res.status, res.body.errors[0].code]).toEqual([404, 'NAME_UNKNOWN']);
  });

  it('lists no tags for a repository holding only untagged manifests, on every page size', async () => {
    const untagged = 'team/untagged';
    const { bytes, digest } = await imageManifest(h, untagged, ['untagged']);
    await putManifest(h, untagged, digest, bytes).expect(201);
    for (const query of ['', '?n=5', '?n=0', '?last=zzz']) {
      const res = await h.http.get(`/v2/${untagged}/tags/list${query}`).set('Authorization', h.bearer(`repository:${untagged}:pull`));
      expect([res.status, res.body, res.headers.link]).toEqual([200, { name: untagged, tags: [] }, undefined]);
    }
  });

  it('answers NAME_UNKNOWN for a missing repository or project whatever the page asked for', async () => {
    for (const repository of ['team/never', 'noproject/app']) {
      for (const query of ['?n=0', '?n=3&last=a']) {
        const res = await h.http.get(`/v2/${repository}/tags/list${query}`).set('Authorization', h.bearer(all(repository)));
        expect([res.status, res.body.errors[0].code]).toEqual([404, 'NAME_UNKNOWN']);
      }
    }
  });

  it('lists repositories in the catalog for a registry:catalog:* token, paged', async () => {
    const res = await h.http.get('/v2/_catalog').set('Authorization', h.bearer('registry:catalog:*'));
    expect(res.status).toBe(200);
    const names: string[] = res.body.repositories;
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining([name, repo]));
    const page = await h.http.get('/v2/_catalog?n=1').set('Authorization', h.bearer('registry:catalog:*'));
    expect(page.body.repositories).toEqual([names[0]]);
    expect(page.headers.link).toBe(`</v2/_catalog?n=1&last=${encodeURIComponent(names[0]!)}>; rel="next"`);
  });
});
