import { startRegistry, Harness, all, pushBlob } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const realm = 'Bearer realm="http://registry.example.test/service/token",service="harbor-registry"';

describe('token authentication', () => {
  it('challenges an anonymous GET /v2/ exactly as Docker clients expect', async () => {
    const res = await h.http.get('/v2/');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(realm);
    expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(res.body.errors[0]).toMatchObject({ code: 'UNAUTHORIZED', message: 'authentication required' });
  });

  it('answers GET /v2/ with {} for any valid token, even one without scopes', async () => {
    const res = await h.http.get('/v2/').set('Authorization', `Bearer ${h.token([])}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
  });

  it('names the repository and pull in the challenge for reads', async () => {
    const res = await h.http.get('/v2/library/app/manifests/latest');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`${realm},scope="repository:library/app:pull"`);
    expect(res.body).toEqual({
      errors: [
        { code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository', Name: 'library/app', Action: 'pull' }] },
      ],
    });
  });

  it('asks for pull,push on every push path', async () => {
    const paths: Array<[string, string]> = [
      ['post', '/v2/library/app/blobs/uploads/'],
      ['patch', '/v2/library/app/blobs/uploads/00000000-0000-4000-8000-000000000000'],
      ['put', '/v2/library/app/manifests/v1'],
    ];
    for (const [method, path] of paths) {
      const res = await (h.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path);
      expect([path, res.status, res.headers['www-authenticate']]).toEqual([path, 401, `${realm},scope="repository:library/app:pull,push"`]);
    }
  });

  it('asks for delete on deletes and registry:catalog:* on the catalog', async () => {
    const del = await h.http.delete('/v2/library/app/manifests/v1').set('Authorization', h.bearer('repository:library/app:pull,push'));
    expect(del.headers['www-authenticate']).toBe(`${realm},scope="repository:library/app:delete"`);
    const catalog = await h.http.get('/v2/_catalog').set('Authorization', h.bearer(all('library/app')));
    expect(catalog.status).toBe(401);
    expect(catalog.headers['www-authenticate']).toBe(`${realm},scope="registry:catalog:*"`);
  });

  it('refuses a token for another repository with a fresh challenge', async () => {
    const res = await h.http.get('/v2/library/app/tags/list').set('Authorization', h.bearer(all('library/other')));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('scope="repository:library/app:pull"');
  });

  it('refuses a pull-only token on an upload', async () => {
    const res = await h.http.post('/v2/library/app/blobs/uploads/').set('Authorization', h.bearer('repository:library/app:pull'));
    expect(res.status).toBe(401);
  });

  it('refuses expired, forged, garbage and Basic credentials', async () => {
    const expired = h.token([all('library/app')], { now: new Date(Date.now() - 3_600_000), expiresInSeconds: 60 });
    const { rsaKeyPair } = await import('@harbor/testkit');
    const forged = h.token([all('library/app')], { privateKey: rsaKeyPair().privateKey });
    for (const header of [`Bearer ${expired}`, `Bearer ${forged}`, 'Bearer not.a.jwt', `Bearer ${'x'.repeat(10_000)}`, 'Basic YWRtaW46cGFzcw==']) {
      const res = await h.http.get('/v2/library/app/tags/list').set('Authorization', header);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('scope="repository:library/app:pull"');
    }
  });

  it('keeps honouring a cached token only until it expires', async () => {
    const shortLived = h.token([all('library/cached')], { expiresInSeconds: 2 });
    await pushBlob(h, 'library/cached', 'cached', `Bearer ${shortLived}`);
    const ok = await h.http.get('/v2/library/cached/tags/list').set('Authorization', `Bearer ${shortLived}`);
    expect(ok.status).not.toBe(401);
    // exp plus the verifier's 5 s clock tolerance
    await new Promise((r) => setTimeout(r, 7_500));
    const late = await h.http.get('/v2/library/cached/tags/list').set('Authorization', `Bearer ${shortLived}`);
    expect(late.status).toBe(401);
  }, 20_000);
});
