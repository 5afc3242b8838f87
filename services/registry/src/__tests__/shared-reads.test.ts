/**
 * Identical manifest and tags/list reads of one loop turn share a round
 * trip (support/same-tick-reads.ts), and that must never show a tag older
 * than the request: a tag moved through the registry (standing in for
 * another registry process on the same database) is seen by the very next
 * read of a second DAO, even while that DAO's earlier read is in flight.
 */
import { mediaTypes } from '@harbor/oci';
import { ManifestDao } from '../dao/manifest.dao';
import { TagDao } from '../dao/tag.dao';
import { all, Harness, imageManifest, putManifest, startRegistry } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

const name = 'library/shared';
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('reads shared within one loop turn', () => {
  it('answers every identical read of a turn with its own copy of the row', async () => {
    const { bytes, digest } = await imageManifest(h, name, ['one']);
    await putManifest(h, name, 'same', bytes).expect(201);
    const other = new ManifestDao(h.db);
    const rows = await Promise.all(Array.from({ length: 8 }, () => other.findByTag(name, 'same', true)));
    for (const row of rows) {
      expect(row?.digest).toBe(digest);
      expect(row?.content?.equals(bytes)).toBe(true);
    }
    expect(new Set(rows).size).toBe(8);
    // HEAD's read (no bytes) is another statement and never gets GET's row, nor the reverse.
    const [withBytes, headersOnly] = await Promise.all([other.findByTag(name, 'same', true), other.findByTag(name, 'same', false)]);
    expect(withBytes?.content).toBeDefined();
    expect(headersOnly?.content).toBeUndefined();
  });

  it('sees a tag moved elsewhere at once, even while its earlier read of the tag is in flight', async () => {
    const first = await imageManifest(h, name, ['first']);
    const second = await imageManifest(h, name, ['second']);
    await putManifest(h, name, 'moving', first.bytes).expect(201);
    const other = new ManifestDao(h.db);
    const early = other.findByTag(name, 'moving', false);
    await nextTurn(); // the early read has been sent
    await putManifest(h, name, 'moving', second.bytes).expect(201);
    const late = await other.findByTag(name, 'moving', false);
    expect(late?.digest).toBe(second.digest);
    expect([first.digest, second.digest]).toContain((await early)?.digest);
  });

  it('lists a tag added elsewhere at once, and pages of different `last` or size never mix', async () => {
    const { bytes } = await imageManifest(h, name, ['list']);
    await putManifest(h, name, 'list-a', bytes).expect(201);
    const other = new TagDao(h.db);
    const early = other.listByRepositoryName(name, undefined, 100);
    await nextTurn();
    await putManifest(h, name, 'list-b', bytes).expect(201);
    expect(await other.listByRepositoryName(name, undefined, 100)).toContain('list-b');
    await early;

    const [firstPage, secondPage, everything] = await Promise.all([
      other.listByRepositoryName(name, undefined, 1),
      other.listByRepositoryName(name, 'list-a', 1),
      other.listByRepositoryName(name, undefined, 100),
    ]);
    const sorted = [...everything!];
    expect(firstPage).toEqual(sorted.slice(0, 1));
    expect(secondPage).toEqual([sorted[sorted.indexOf('list-a') + 1]]);
    expect(await other.listByRepositoryName('library/never-pushed', undefined, 100)).toBeUndefined();
  });

  it('answers many parallel GETs and tags/lists of one tag, each in full', async () => {
    const { bytes, digest } = await imageManifest(h, name, ['parallel']);
    await putManifest(h, name, 'parallel', bytes).expect(201);
    const auth = h.bearer(all(name));
    const gets = await Promise.all(
      Array.from({ length: 16 }, () => h.http.get(`/v2/${name}/manifests/parallel`).set('Authorization', auth).set('Accept', mediaTypes.ociManifest)),
    );
    for (const get of gets) {
      expect(get.status).toBe(200);
      expect(get.headers['docker-content-digest']).toBe(digest);
      expect(Buffer.from(get.text ?? get.body).equals(bytes)).toBe(true);
    }
    const lists = await Promise.all(Array.from({ length: 16 }, () => h.http.get(`/v2/${name}/tags/list`).set('Authorization', auth)));
    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(list.body.tags).toContain('parallel');
    }
  });

  it('shares nothing across repositories or credentials: a same-turn request with another repository\'s token, none or a forged one is refused', async () => {
    const mine = await imageManifest(h, name, ['mine']);
    const elsewhere = 'library/shared-elsewhere';
    const theirs = await imageManifest(h, elsewhere, ['theirs']);
    await putManifest(h, name, 'twin', mine.bytes).expect(201);
    await putManifest(h, elsewhere, 'twin', theirs.bytes).expect(201);
    const get = (repository: string, authorization?: string) => {
      const req = h.http.get(`/v2/${repository}/manifests/twin`).set('Accept', mediaTypes.ociManifest);
      return authorization ? req.set('Authorization', authorization) : req;
    };
    // All in one turn: the refused ones reach the same tag read as the allowed ones would.
    const [allowed, other, wrongToken, noToken, forged] = await Promise.all([
      get(name, h.bearer(all(name))),
      get(elsewhere, h.bearer(all(elsewhere))),
      get(name, h.bearer(all(elsewhere))),
      get(name),
      get(name, `${h.bearer(all(name))}x`),
    ]);
    expect(allowed.headers['docker-content-digest']).toBe(mine.digest);
    expect(other.headers['docker-content-digest']).toBe(theirs.digest);
    for (const refused of [wrongToken, noToken, forged]) {
      expect(refused.status).toBe(401);
      expect(refused.headers['docker-content-digest']).toBeUndefined();
      expect(refused.body.errors?.[0]?.code).toBe('UNAUTHORIZED');
    }
  });
});

