import { startRegistry, Harness, all } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

describe('repository names and routes', () => {
  it('refuses names with .., %2F or uppercase as NAME_INVALID, before any storage is touched', async () => {
    for (const path of [
      '/v2/library/../etc/manifests/latest',
      '/v2/library/%2E%2E/x/manifests/latest',
      '/v2/library%2Fapp/manifests/latest',
      '/v2/Library/App/tags/list',
      '/v2/library//app/blobs/uploads/',
      '/v2/library/app-/tags/list',
    ]) {
      const res = await h.http.get(path).set('Authorization', h.bearer(all('library/app')));
      expect([path, res.status, res.body.errors?.[0]?.code]).toEqual([path, 400, 'NAME_INVALID']);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    }
  });

  it('answers NAME_UNKNOWN when the first component is not a Harbor project', async () => {
    const auth = h.bearer(all('nosuchproject/app'));
    const upload = await h.http.post('/v2/nosuchproject/app/blobs/uploads/').set('Authorization', auth);
    expect([upload.status, upload.body.errors[0].code]).toEqual([404, 'NAME_UNKNOWN']);
    const manifest = await h.http.get('/v2/nosuchproject/app/manifests/latest').set('Authorization', auth);
    expect([manifest.status, manifest.body.errors[0].code]).toEqual([404, 'NAME_UNKNOWN']);
  });

  it('answers unknown routes and methods with UNSUPPORTED in the OCI envelope, never HTML', async () => {
    const auth = h.bearer(all('library/app'));
    const unknown = await h.http.get('/v2/library/app/referrerz/x').set('Authorization', auth);
    expect([unknown.status, unknown.body.errors[0].code]).toEqual([404, 'UNSUPPORTED']);
    const method = await h.http.post('/v2/library/app/manifests/latest').set('Authorization', auth);
    expect([method.status, method.body.errors[0].code]).toEqual([405, 'UNSUPPORTED']);
    expect(method.headers.allow).toContain('PUT');
    for (const res of [unknown, method]) {
      expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
      expect(res.text).not.toMatch(/<html|<pre|at \w+ \(/i);
    }
  });

  it('keeps non-/v2 paths out of the OCI envelope', async () => {
    const res = await h.http.get('/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
  });
});
