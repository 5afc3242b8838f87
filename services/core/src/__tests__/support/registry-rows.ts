import type { Harness } from './core-harness';

/**
 * Plays the registry in core's tests: writes the rows the registry would
 * write for a pushed repository (core only reads them).
 */
export async function insertRepository(
  h: Harness,
  projectId: number,
  name: string,
  content: { blobs?: Array<{ digest: string; size: number }>; manifests?: Array<{ digest: string; size: number; subject?: string }>; pullCount?: number } = {},
): Promise<number> {
  const db = h.database.db;
  const inserted = await db
    .insertInto('repository')
    .values({ name, project_id: projectId, description: '', pull_count: content.pullCount ?? 0 })
    .executeTakeFirstOrThrow();
  const repositoryId = Number(inserted.insertId);
  for (const blob of content.blobs ?? []) {
    await db.insertInto('blob').values({ digest: blob.digest, size: blob.size, media_type: null }).onDuplicateKeyUpdate({ size: blob.size }).execute();
    await db.insertInto('repository_blob').values({ repository_id: repositoryId, digest: blob.digest }).execute();
  }
  for (const manifest of content.manifests ?? []) {
    await db
      .insertInto('manifest')
      .values({
        repository_id: repositoryId,
        digest: manifest.digest,
        media_type: 'application/vnd.oci.image.manifest.v1+json',
        size: manifest.size,
        content: Buffer.from('{}'),
        subject_digest: manifest.subject ?? null,
        artifact_type: null,
      })
      .execute();
  }
  return repositoryId;
}

/** A well-formed sha256 digest made from a short label. */
export function digestOf(label: string): string {
  return `sha256:${Buffer.from(label).toString('hex').padEnd(64, '0').slice(0, 64)}`;
}
