import { asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';
import { digestOf, insertRepository } from './support/registry-rows';

const layerType = 'application/vnd.oci.image.layer.v1.tar+gzip';

/**
 * `GET …/artifacts/{reference}/additions/layers`, this suite's own addition:
 * the layers of a manifest in order, with their sizes and media types, for
 * the portal's artifact page (a browser session gets no registry token).
 */
describe('the layers addition of an artifact', () => {
  let h: Harness;
  let stranger: string;
  const image = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf('config'), size: 321 },
      layers: [
        { mediaType: layerType, digest: digestOf('base'), size: 2_000_000 },
        { mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', digest: digestOf('foreign'), size: 77, urls: ['https://example.com/l'], annotations: { note: 'foreign' } },
      ],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf('image'), size: image.length, platform: { os: 'linux', architecture: 'amd64' } }],
    }),
  );
  const path = (repository: string, reference: string) => `/api/v2.0/projects/layered/repositories/${repository}/artifacts/${reference}/additions/layers`;

  beforeAll(async () => {
    h = await startCore();
    stranger = (await createUser(h, 'stranger')).auth;
    const projectId = await createProject(h, 'layered', asAdmin, false);
    const repositoryId = await insertRepository(h, projectId, 'layered/team/app');
    const db = h.database.db;
    for (const [digest, mediaType, content] of [
      [digestOf('image'), 'application/vnd.oci.image.manifest.v1+json', image],
      [digestOf('index'), 'application/vnd.oci.image.index.v1+json', index],
    ] as const) {
      await db.insertInto('manifest').values({ repository_id: repositoryId, digest, media_type: mediaType, size: content.length, content, subject_digest: null, artifact_type: null }).execute();
    }
    await db.insertInto('tag').values({ repository_id: repositoryId, name: 'v1', manifest_digest: digestOf('image') }).execute();
  }, 60_000);
  afterAll(() => h.close());

  it('lists an image\'s layers in order with sizes and media types, the repository name encoded twice', async () => {
    const res = await h.http.get(path('team%252Fapp', digestOf('image'))).set('Authorization', asAdmin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { media_type: layerType, digest: digestOf('base'), size: 2_000_000 },
      {
        media_type: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
        digest: digestOf('foreign'),
        size: 77,
        urls: ['https://example.com/l'],
        annotations: { note: 'foreign' },
      },
    ]);
  });

  it('finds the artifact by tag as well', async () => {
    const res = await h.http.get(path('team%252Fapp', 'v1')).set('Authorization', asAdmin);
    expect(res.status).toBe(200);
    expect((res.body as Array<{ digest: string }>).map((l) => l.digest)).toEqual([digestOf('base'), digestOf('foreign')]);
  });

  it('says in words that an index has no layers of its own', async () => {
    const res = await h.http.get(path('team%252Fapp', digestOf('index'))).set('Authorization', asAdmin);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toMatch(/is an index/);
  });

  it('keeps a private project\'s layers from users without a role and from anonymous callers', async () => {
    expect((await h.http.get(path('team%252Fapp', 'v1')).set('Authorization', stranger)).status).toBe(403);
    expect((await h.http.get(path('team%252Fapp', 'v1'))).status).toBe(401);
  });

  it('keeps another project\'s layers out of reach of a project the caller can read, whatever the path says', async () => {
    await createProject(h, 'openlayers', asAdmin, true);
    const at = (project: string, repository: string) => `/api/v2.0/projects/${project}/repositories/${repository}/artifacts/v1/additions/layers`;
    // openlayers is public: the stranger may read it, but layered's repository is not in it.
    expect((await h.http.get(at('openlayers', 'team%252Fapp')).set('Authorization', stranger)).status).toBe(404);
    for (const repository of ['..%252Flayered%252Fteam%252Fapp', '%252E%252E%252Flayered%252Fteam%252Fapp', 'team%252F..%252F..%252Flayered%252Fteam%252Fapp', '..%2Flayered%2Fteam%2Fapp']) {
      const res = await h.http.get(at('openlayers', repository)).set('Authorization', stranger);
      expect([400, 404]).toContain(res.status);
      expect(res.body).toEqual({ errors: [{ code: res.status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND', message: expect.any(String) }] });
      expect(JSON.stringify(res.body)).not.toContain(digestOf('base'));
    }
  });

  it('answers 404 for an unknown artifact or addition, 400 for a name that cannot exist', async () => {
    expect((await h.http.get(path('team%252Fapp', digestOf('nothing'))).set('Authorization', asAdmin)).status).toBe(404);
    const other = await h.http.get(`/api/v2.0/projects/layered/repositories/team%252Fapp/artifacts/v1/additions/files`).set('Authorization', asAdmin);
    expect(other.status).toBe(404);
    expect((await h.http.get(path('Team%252F..', 'v1')).set('Authorization', asAdmin)).status).toBe(400);
  });
});
