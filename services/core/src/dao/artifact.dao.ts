import type { Db } from '@harbor/db';
import { escapeLike } from './like';
import type { Page } from './user.dao';

/** A manifest row of the registry, as an artifact. */
export interface ManifestRecord {
  id: number;
  repositoryId: number;
  digest: string;
  mediaType: string;
  size: number;
  content: Buffer;
  subjectDigest: string | null;
  creationTime: Date;
}

export interface TagRecord {
  id: number;
  repositoryId: number;
  name: string;
  digest: string;
  creationTime: Date;
  updateTime: Date;
}

export interface ArtifactFilter {
  digest?: string;
  tag?: { value: string; fuzzy: boolean };
  mediaType?: string;
  /** Only artifacts with (true) or without (false) tags. */
  tagged?: boolean;
  sort: Array<{ key: 'push_time' | 'digest'; descending: boolean }>;
}

const columns = ['m.id', 'm.repository_id', 'm.digest', 'm.media_type', 'm.size', 'm.content', 'm.subject_digest', 'm.creation_time'] as const;

/** Reads the registry's manifest and tag tables (the registry is their only writer). */
export class ArtifactDao {
  constructor(private readonly db: Db) {}

  /**
   * Harbor's listing: accessories (manifests with a subject) are shown with
   * their subject, not on their own, and an untagged child of an index is
   * shown inside the index.
   */
  async list(repositoryId: number, filter: ArtifactFilter, page: Page): Promise<{ total: number; items: ManifestRecord[] }> {
    let query = this.db
      .selectFrom('manifest as m')
      .where('m.repository_id', '=', repositoryId)
      .where('m.subject_digest', 'is', null)
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('tag as t').select('t.id').whereRef('t.repository_id', '=', 'm.repository_id').whereRef('t.manifest_digest', '=', 'm.digest')),
          eb.not(
            eb.exists(
              eb
                .selectFrom('manifest_reference as r')
                .innerJoin('manifest as p', 'p.id', 'r.manifest_id')
                .select('p.id')
                .whereRef('p.repository_id', '=', 'm.repository_id')
                .whereRef('r.digest', '=', 'm.digest')
                .where('r.kind', '=', 'manifest'),
            ),
          ),
        ]),
      );
    if (filter.digest !== undefined) query = query.where('m.digest', '=', filter.digest);
    if (filter.mediaType !== undefined) query = query.where('m.media_type', '=', filter.mediaType);
    const tag = filter.tag;
    if (tag) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('tag as t')
            .select('t.id')
            .whereRef('t.repository_id', '=', 'm.repository_id')
            .whereRef('t.manifest_digest', '=', 'm.digest')
            .where('t.name', tag.fuzzy ? 'like' : '=', tag.fuzzy ? `%${escapeLike(tag.value)}%` : tag.value),
        ),
      );
    }
    if (filter.tagged !== undefined) {
      query = query.where((eb) => {
        const hasTag = eb.exists(eb.selectFrom('tag as t').select('t.id').whereRef('t.repository_id', '=', 'm.repository_id').whereRef('t.manifest_digest', '=', 'm.digest'));
        return filter.tagged ? hasTag : eb.not(hasTag);
      });
    }
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    let ordered = query.select([...columns]);
    const sort = filter.sort.length > 0 ? filter.sort : [{ key: 'push_time' as const, descending: true }];
    for (const s of sort) ordered = ordered.orderBy(s.key === 'push_time' ? 'm.creation_time' : 'm.digest', s.descending ? 'desc' : 'asc');
    const rows = await ordered.orderBy('m.id', 'desc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), items: rows.map(toManifest) };
  }

  async findByDigest(repositoryId: number, digest: string): Promise<ManifestRecord | undefined> {
    const row = await this.db.selectFrom('manifest as m').select([...columns]).where('m.repository_id', '=', repositoryId).where('m.digest', '=', digest).executeTakeFirst();
    return row && toManifest(row);
  }

  async findByTag(repositoryId: number, tag: string): Promise<ManifestRecord | undefined> {
    const row = await this.db
      .selectFrom('tag as t')
      .innerJoin('manifest as m', (join) => join.onRef('m.repository_id', '=', 't.repository_id').onRef('m.digest', '=', 't.manifest_digest'))
      .select([...columns])
      .where('t.repository_id', '=', repositoryId)
      .where('t.name', '=', tag)
      .executeTakeFirst();
    return row && toManifest(row);
  }

  /** Manifests of the repository with these digests (children of an index, subjects). */
  async findByDigests(repositoryId: number, digests: string[]): Promise<ManifestRecord[]> {
    if (digests.length === 0) return [];
    const rows = await this.db.selectFrom('manifest as m').select([...columns]).where('m.repository_id', '=', repositoryId).where('m.digest', 'in', digests).execute();
    return rows.map(toManifest);
  }

  /** Accessories (signatures, SBOMs, …): manifests whose subject is one of these digests. */
  async accessoriesOf(repositoryId: number, subjectDigests: string[]): Promise<ManifestRecord[]> {
    if (subjectDigests.length === 0) return [];
    const rows = await this.db
      .selectFrom('manifest as m')
      .select([...columns])
      .where('m.repository_id', '=', repositoryId)
      .where('m.subject_digest', 'in', subjectDigests)
      .orderBy('m.id')
      .execute();
    return rows.map(toManifest);
  }

  async tagsOf(repositoryId: number, digests: string[]): Promise<TagRecord[]> {
    if (digests.length === 0) return [];
    const rows = await this.db
      .selectFrom('tag')
      .selectAll()
      .where('repository_id', '=', repositoryId)
      .where('manifest_digest', 'in', digests)
      .orderBy('creation_time', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toTag);
  }

  async listTags(repositoryId: number, digest: string, name: { value: string; fuzzy: boolean } | undefined, page: Page): Promise<{ total: number; items: TagRecord[] }> {
    let query = this.db.selectFrom('tag').where('repository_id', '=', repositoryId).where('manifest_digest', '=', digest);
    if (name) query = name.fuzzy ? query.where('name', 'like', `%${escapeLike(name.value)}%`) : query.where('name', '=', name.value);
    const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('creation_time', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
    return { total: Number(counted.total), items: rows.map(toTag) };
  }

  async findTag(repositoryId: number, name: string): Promise<TagRecord | undefined> {
    const row = await this.db.selectFrom('tag').selectAll().where('repository_id', '=', repositoryId).where('name', '=', name).executeTakeFirst();
    return row && toTag(row);
  }

  /** Indexes of the repository that list this digest as a child. */
  async parentsOf(repositoryId: number, digest: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('manifest_reference as r')
      .innerJoin('manifest as p', 'p.id', 'r.manifest_id')
      .select('p.digest')
      .where('p.repository_id', '=', repositoryId)
      .where('r.digest', '=', digest)
      .where('r.kind', '=', 'manifest')
      .execute();
    return rows.map((r) => r.digest);
  }
}

function toManifest(r: {
  id: number;
  repository_id: number;
  digest: string;
  media_type: string;
  size: number;
  content: Buffer;
  subject_digest: string | null;
  creation_time: Date;
}): ManifestRecord {
  return {
    id: Number(r.id),
    repositoryId: Number(r.repository_id),
    digest: r.digest,
    mediaType: r.media_type,
    size: Number(r.size),
    content: r.content,
    subjectDigest: r.subject_digest,
    creationTime: r.creation_time,
  };
}

function toTag(r: { id: number; repository_id: number; name: string; manifest_digest: string; creation_time: Date; update_time: Date }): TagRecord {
  return {
    id: Number(r.id),
    repositoryId: Number(r.repository_id),
    name: r.name,
    digest: r.manifest_digest,
    creationTime: r.creation_time,
    updateTime: r.update_time,
  };
}
