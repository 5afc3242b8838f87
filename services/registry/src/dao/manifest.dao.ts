import { Db, preparedQuery, sql } from '@harbor/db';
import { SameTickReads } from '../support/same-tick-reads';

type ManifestSelect = { digest: string; media_type: string; size: number; subject_digest: string | null; content?: Buffer };

// The reads of every manifest GET/HEAD, prepared once per connection (see preparedQuery).
const byDigest = (withContent: boolean) =>
  preparedQuery<ManifestSelect>(
    `SELECT m.digest, m.media_type, m.size, m.subject_digest${withContent ? ', m.content' : ''}
     FROM manifest m INNER JOIN repository r ON r.repository_id = m.repository_id
     WHERE r.name = ? AND m.digest = ? LIMIT 1`,
  );
const byTag = (withContent: boolean) =>
  preparedQuery<ManifestSelect>(
    `SELECT m.digest, m.media_type, m.size, m.subject_digest${withContent ? ', m.content' : ''}
     FROM tag t
     INNER JOIN repository r ON r.repository_id = t.repository_id
     INNER JOIN manifest m ON m.repository_id = t.repository_id AND m.digest = t.manifest_digest
     WHERE r.name = ? AND t.name = ? LIMIT 1`,
  );
const manifestByDigest = { withContent: byDigest(true), headersOnly: byDigest(false) };
const manifestByTag = { withContent: byTag(true), headersOnly: byTag(false) };

export interface ManifestRow {
  digest: string;
  mediaType: string;
  size: number;
  /** Only when asked for (HEAD does not need the bytes). */
  content?: Buffer;
  subjectDigest: string | null;
}

/** A manifest whose `subject` names some digest, as the referrers API lists it. */
export interface ReferrerRow {
  digest: string;
  mediaType: string;
  size: number;
  artifactType: string | null;
  content: Buffer;
}

export interface NewManifest {
  repositoryId: number;
  digest: string;
  mediaType: string;
  content: Buffer;
  subjectDigest: string | null;
  artifactType: string | null;
  references: Array<{ digest: string; kind: 'blob' | 'manifest' }>;
  tag: string | null;
}

/** Manifests, what they reference, and the tags that name them. */
export class ManifestDao {
  /** The GET/HEAD reads: identical ones of one loop turn share a round trip (never a result from before they were asked). */
  private readonly reads = new SameTickReads<ManifestSelect | undefined>();

  constructor(private readonly db: Db) {}

  async findByDigest(repositoryName: string, digest: string, withContent: boolean): Promise<ManifestRow | undefined> {
    const query = withContent ? manifestByDigest.withContent : manifestByDigest.headersOnly;
    const key = JSON.stringify(['digest', withContent, repositoryName, digest]);
    const row = await this.reads.read(key, () => query.first(this.db, [repositoryName, digest]));
    return row && toRow(row);
  }

  async findByTag(repositoryName: string, tag: string, withContent: boolean): Promise<ManifestRow | undefined> {
    const query = withContent ? manifestByTag.withContent : manifestByTag.headersOnly;
    const key = JSON.stringify(['tag', withContent, repositoryName, tag]);
    const row = await this.reads.read(key, () => query.first(this.db, [repositoryName, tag]));
    return row && toRow(row);
  }

  /**
   * The manifests of the repository whose subject is `subject`, oldest first,
   * optionally only those of one artifact type. The bytes come along because
   * the referrers index repeats each manifest's annotations.
   */
  async referrers(repositoryName: string, subject: string, artifactType?: string): Promise<ReferrerRow[]> {
    const rows = await this.db
      .selectFrom('manifest as m')
      .innerJoin('repository as r', 'r.repository_id', 'm.repository_id')
      .select(['m.digest', 'm.media_type', 'm.size', 'm.artifact_type', 'm.content'])
      .where('r.name', '=', repositoryName)
      .where('m.subject_digest', '=', subject)
      .$if(artifactType !== undefined, (q) => q.where('m.artifact_type', '=', artifactType!))
      .orderBy('m.id')
      .execute();
    return rows.map((row) => ({
      digest: row.digest,
      mediaType: row.media_type,
      size: Number(row.size),
      artifactType: row.artifact_type,
      content: row.content,
    }));
  }

  /** Which of `digests` are manifests of the repository. */
  async presentAmong(repositoryId: number, digests: string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('manifest')
      .select('digest')
      .where('repository_id', '=', repositoryId)
      .where('digest', 'in', digests)
      .execute();
    return new Set(rows.map((r) => r.digest));
  }

  /**
   * Stores the manifest (a re-push of the same digest is a no-op), its
   * references and the tag, in one transaction.
   */
  async save(manifest: NewManifest): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('manifest')
        .values({
          repository_id: manifest.repositoryId,
          digest: manifest.digest,
          media_type: manifest.mediaType,
          size: manifest.content.length,
          content: manifest.content,
          subject_digest: manifest.subjectDigest,
          artifact_type: manifest.artifactType,
        })
        .onDuplicateKeyUpdate({ digest: manifest.digest })
        .execute();
      const { id } = await trx
        .selectFrom('manifest')
        .select('id')
        .where('repository_id', '=', manifest.repositoryId)
        .where('digest', '=', manifest.digest)
        .executeTakeFirstOrThrow();
      // One row per digest even if the manifest names a blob twice.
      const references = [...new Map(manifest.references.map((r) => [r.digest, r])).values()];
      if (references.length > 0) {
        await trx
          .insertInto('manifest_reference')
          .values(references.map((r) => ({ manifest_id: Number(id), digest: r.digest, kind: r.kind })))
          // The references of a digest never change: a duplicate is already exact.
          .onDuplicateKeyUpdate({ kind: sql<'blob' | 'manifest'>`kind` })
          .execute();
      }
      if (manifest.tag !== null) {
        await trx
          .insertInto('tag')
          .values({ repository_id: manifest.repositoryId, name: manifest.tag, manifest_digest: manifest.digest })
          .onDuplicateKeyUpdate({ manifest_digest: manifest.digest, update_time: sql<Date>`CURRENT_TIMESTAMP(3)` })
          .execute();
      }
    });
  }

  /** Deletes a manifest and the tags that name it; false when it was not there. */
  async deleteByDigest(repositoryId: number, digest: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tag').where('repository_id', '=', repositoryId).where('manifest_digest', '=', digest).execute();
      const result = await trx
        .deleteFrom('manifest')
        .where('repository_id', '=', repositoryId)
        .where('digest', '=', digest)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}

function toRow(row: ManifestSelect): ManifestRow {
  return {
    digest: row.digest,
    mediaType: row.media_type,
    size: Number(row.size),
    subjectDigest: row.subject_digest,
    ...(row.content !== undefined ? { content: row.content } : {}),
  };
}
