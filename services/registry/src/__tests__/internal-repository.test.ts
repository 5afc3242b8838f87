import { all, Harness, imageManifest, internalSecret, putManifest, startRegistry } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const secret = `Harbor-Secret ${internalSecret}`;

/** Core's writes to repository metadata, through the registry so it stays their one writer. */
describe('internal repository endpoints', () => {
  it('refuses callers without the internal secret, changing nothing', async () => {
    const { bytes } = await imageManifest(h, 'library/guarded');
    expect((await putManifest(h, 'library/guarded', '1', bytes)).status).toBe(201);
    for (const auth of [undefined, 'Harbor-Secret wrong', h.bearer(all('library/guarded'))]) {
      let put = h.http.put('/internal/repositories/description');
      let del = h.http.post('/internal/repositories/delete');
      if (auth) {
        put = put.set('Authorization', auth);
        del = del.set('Authorization', auth);
      }
      expect((await put.send({ name: 'library/guarded', description: 'x' })).status).toBe(401);
      expect((await del.send({ name: 'library/guarded' })).status).toBe(401);
    }
    const row = await h.db.selectFrom('repository').select('description').where('name', '=', 'library/guarded').executeTakeFirst();
    expect(row).toEqual({ description: '' });
  });

  it('updates a description, and answers 404 for a repository that does not exist', async () => {
    const { bytes } = await imageManifest(h, 'library/described');
    await putManifest(h, 'library/described', '1', bytes);
    const res = await h.http.put('/internal/repositories/description').set('Authorization', secret).send({ name: 'library/described', description: 'hello' });
    expect(res.status).toBe(200);
    // The same text again is still a success.
    expect((await h.http.put('/internal/repositories/description').set('Authorization', secret).send({ name: 'library/described', description: 'hello' })).status).toBe(200);
    const row = await h.db.selectFrom('repository').select('description').where('name', '=', 'library/described').executeTakeFirstOrThrow();
    expect(row.description).toBe('hello');
    expect((await h.http.put('/internal/repositories/description').set('Authorization', secret).send({ name: 'library/none', description: 'x' })).status).toBe(404);
  });

  it('deletes a repository with its manifests and tags; its content is gone from /v2', async () => {
    const { bytes, digest } = await imageManifest(h, 'library/doomed');
    await putManifest(h, 'library/doomed', 'v1', bytes);
    const { repository_id: id } = await h.db.selectFrom('repository').select('repository_id').where('name', '=', 'library/doomed').executeTakeFirstOrThrow();
    const res = await h.http.post('/internal/repositories/delete').set('Authorization', secret).send({ name: 'library/doomed' });
    expect(res.status).toBe(200);
    expect(await h.db.selectFrom('repository').select('repository_id').where('name', '=', 'library/doomed').executeTakeFirst()).toBeUndefined();
    // The same digest may live on in other repositories; this one's rows are gone.
    expect(await h.db.selectFrom('manifest').select('id').where('repository_id', '=', id).where('digest', '=', digest).execute()).toEqual([]);
    expect(await h.db.selectFrom('tag').select('id').where('repository_id', '=', id).execute()).toEqual([]);
    expect((await h.http.get('/v2/library/doomed/manifests/v1').set('Authorization', h.bearer(all('library/doomed')))).status).toBe(404);
    expect((await h.http.post('/internal/repositories/delete').set('Authorization', secret).send({ name: 'library/doomed' })).status).toBe(404);
  });

  it.each([[{}], [{ name: 42 }], [{ name: '' }], [{ name: 'x'.repeat(300) }], ['not json']])('refuses the malformed body %j with 400', async (body) => {
    const res = await h.http.post('/internal/repositories/delete').set('Authorization', secret).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('BAD_REQUEST');
  });
});
