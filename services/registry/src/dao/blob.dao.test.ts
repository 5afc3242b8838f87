/**
 * BlobDao.publish runs as one stored procedure (migration 0008): these check
 * that it is still one transaction, on real MariaDB.
 */
import { connect, Db, sql } from '@harbor/db';
import { createTestDatabase, TestDatabase } from '@harbor/testkit';
import { BlobDao } from './blob.dao';

let t: TestDatabase;
let blobs: BlobDao;
let repositoryId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  blobs = new BlobDao(t.db);
  repositoryId = await seedRepository(t.db);
});

/** A user, project `lib` and repository `lib/app`; answers the repository's id. */
async function seedRepository(db: Db): Promise<number> {
  await db.insertInto('harbor_user').values({ username: 'owner', email: null, realname: '', comment: '', password: 'x' }).execute();
  const owner = await db.selectFrom('harbor_user').select('user_id').where('username', '=', 'owner').executeTakeFirstOrThrow();
  await db.insertInto('project').values({ name: 'lib', owner_id: owner.user_id }).execute();
  const project = await db.selectFrom('project').select('project_id').where('name', '=', 'lib').executeTakeFirstOrThrow();
  await db.insertInto('repository').values({ name: 'lib/app', project_id: project.project_id, description: '' }).execute();
  const repository = await db.selectFrom('repository').select('repository_id').where('name', '=', 'lib/app').executeTakeFirstOrThrow();
  return Number(repository.repository_id);
}
afterAll(async () => t.drop());

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

async function uploadRow(uuid: string): Promise<void> {
  await t.db.insertInto('blob_upload').values({ uuid, repository_name: 'lib/app', size: 0 }).execute();
}

async function state(d: string, uuid: string) {
  const blob = await t.db.selectFrom('blob').select(['size']).where('digest', '=', d).executeTakeFirst();
  const links = await t.db.selectFrom('repository_blob').select('repository_id').where('digest', '=', d).execute();
  const upload = await t.db.selectFrom('blob_upload').select('uuid').where('uuid', '=', uuid).executeTakeFirst();
  return { blob: blob ? Number(blob.size) : null, links: links.map((l) => Number(l.repository_id)), upload: upload !== undefined };
}

it('stores the blob, links it and ends the upload session together', async () => {
  const uuid = '00000000-0000-4000-8000-000000000001';
  await uploadRow(uuid);
  await blobs.publish(repositoryId, { digest: digest(1), size: 1234 }, uuid);
  expect(await state(digest(1), uuid)).toEqual({ blob: 1234, links: [repositoryId], upload: false });
});

it('keeps the first row of a digest another push published, and leaves other sessions alone', async () => {
  const other = '00000000-0000-4000-8000-000000000002';
  await uploadRow(other);
  await blobs.publish(repositoryId, { digest: digest(1), size: 1234 }, null);
  expect(await state(digest(1), other)).toEqual({ blob: 1234, links: [repositoryId], upload: true });
});

it('commits nothing when the link fails (a repository deleted meanwhile), and leaves no transaction open', async () => {
  const uuid = '00000000-0000-4000-8000-000000000003';
  await uploadRow(uuid);
  // One connection: a transaction left open by the failed call would still be open for the next statement.
  const single = connect({ ...t.config, maxConnections: 1 });
  try {
    await expect(new BlobDao(single).publish(repositoryId + 1000, { digest: digest(2), size: 5 }, uuid)).rejects.toThrow(/foreign key/i);
    const open = await sql<{ open: number }>`SELECT @@in_transaction AS open`.execute(single);
    expect(Number(open.rows[0]!.open)).toBe(0);
    expect(await state(digest(2), uuid)).toEqual({ blob: null, links: [], upload: true });
    // The same connection goes on working, in autocommit.
    await new BlobDao(single).publish(repositoryId, { digest: digest(2), size: 5 }, uuid);
    expect(await state(digest(2), uuid)).toEqual({ blob: 5, links: [repositoryId], upload: false });
  } finally {
    await single.destroy();
  }
});

it('takes parameters as values, never as SQL', async () => {
  const hostile = "sha256:x'); DROP TABLE `blob`; --";
  await blobs.publish(repositoryId, { digest: hostile, size: 1 }, null);
  expect((await state(hostile, 'none')).links).toEqual([repositoryId]);
  expect(await t.db.selectFrom('blob').select('digest').where('digest', '=', digest(1)).executeTakeFirst()).toBeDefined();
});


it('finds its procedure where the migration made it, and says nothing', async () => {
  let told = 0;
  const dao = new BlobDao(t.db, () => told++);
  expect(await dao.checkProcedure()).toBe(true);
  expect(told).toBe(0);
});

it('goes on publishing, statement by statement, in a database restored without its procedure, and says so once, at start', async () => {
  const restored = await createTestDatabase();
  try {
    await sql`DROP PROCEDURE publish_blob`.execute(restored.db);
    const restoredRepositoryId = await seedRepository(restored.db);
    const uuid = '00000000-0000-4000-8000-000000000009';
    await restored.db.insertInto('blob_upload').values({ uuid, repository_name: 'lib/app', size: 0 }).execute();
    let told = 0;
    const dao = new BlobDao(restored.db, () => told++);
    // Found at start already, as the registry checks then; publishing does not say it again.
    expect(await dao.checkProcedure()).toBe(false);
    expect(told).toBe(1);
    await dao.publish(restoredRepositoryId, { digest: digest(7), size: 70 }, uuid);
    await dao.publish(restoredRepositoryId, { digest: digest(8), size: 80 }, null);
    expect(told).toBe(1);
    const blobs = await restored.db.selectFrom('blob').select(['digest', 'size']).orderBy('digest').execute();
    expect(blobs.map((b) => `${b.digest.slice(-1)}:${Number(b.size)}`)).toEqual(['7:70', '8:80']);
    expect(await restored.db.selectFrom('blob_upload').select('uuid').execute()).toEqual([]);
    // Still one transaction: a failing link leaves no blob row.
    await expect(dao.publish(restoredRepositoryId + 1000, { digest: digest(9), size: 9 }, null)).rejects.toThrow(/foreign key/i);
    expect(await restored.db.selectFrom('blob').select('digest').where('digest', '=', digest(9)).execute()).toEqual([]);
  } finally {
    await restored.drop();
  }
});
