import { Harness, startCore, adminPassword } from './support/core-harness';

const eventsType = 'application/vnd.docker.distribution.events.v1+json';
const digest = `sha256:${'c'.repeat(64)}`;

function event(action: 'push' | 'pull' | 'delete', overrides: { tag?: string; actor?: string; useragent?: string; timestamp?: string; repository?: string } = {}) {
  return {
    id: `e-${Math.random()}`,
    timestamp: overrides.timestamp ?? new Date().toISOString(),
    action,
    target: {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 100,
      digest,
      repository: overrides.repository ?? 'library/app',
      ...(overrides.tag === undefined ? {} : { tag: overrides.tag }),
    },
    request: { id: 'r', addr: '10.0.0.1', host: 'harbor', method: 'GET', useragent: overrides.useragent ?? 'skopeo/1.13' },
    actor: { name: overrides.actor ?? 'alice' },
  };
}

/**
 * Registry events as core's records of artifacts: push time, pull time and
 * count in `artifact_stat`, and audit entries for clients' pushes, pulls and
 * deletes (core's own writes through the registry are audited where they are made).
 */
describe('registry events into artifact stats and the audit log', () => {
  let h: Harness;
  const admin = () => `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
  const send = (...events: unknown[]) =>
    h.http.post('/service/notifications').set('Content-Type', eventsType).set('Authorization', `Harbor-Secret ${h.internalSecret}`).send(JSON.stringify({ events }));
  const stat = () =>
    h.database.db.selectFrom('artifact_stat').selectAll().where('repository_name', '=', 'library/app').where('digest', '=', digest).executeTakeFirst();
  const logs = async (q: string) => (await h.http.get(`/api/v2.0/audit-logs?q=${encodeURIComponent(q)}`).set('Authorization', admin())).body as Array<Record<string, unknown>>;

  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(async () => h.close());

  it('records the push time and an audit entry naming the pusher and the tag', async () => {
    const at = '2026-11-23T10:00:00.000Z';
    expect((await send(event('push', { tag: '1', timestamp: at }))).status).toBe(200);
    expect((await stat())?.push_time?.toISOString()).toBe(at);
    const entries = await logs('operation=create');
    expect(entries).toEqual([expect.objectContaining({ resource: 'library/app:1', resource_type: 'artifact', username: 'alice' })]);
    const library = await h.database.db.selectFrom('project').select('project_id').where('name', '=', 'library').executeTakeFirstOrThrow();
    const row = await h.database.db.selectFrom('audit_log').select('project_id').where('operation', '=', 'create').executeTakeFirstOrThrow();
    expect(row.project_id).toBe(library.project_id);
  });

  it('counts pulls and keeps the latest pull time, however the events arrive', async () => {
    await send(event('pull', { tag: '1', timestamp: '2026-11-23T12:00:00.000Z' }), event('pull', { timestamp: '2026-11-23T11:00:00.000Z' }));
    const row = await stat();
    expect(row?.pull_count).toBe(2);
    expect(row?.pull_time?.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    // Newest first by the events' own times (12:00 before 11:00), not by when the batch arrived.
    expect((await logs('operation=pull')).map((e) => e.resource)).toEqual(['library/app:1', `library/app@${digest}`]);
  });

  it("dates an event's audit entry at the event, so a change made before an API call sorts before it however late its batch arrives", async () => {
    const at = '2026-11-23T09:30:00.123Z';
    await send(event('push', { tag: 'early', actor: 'dora', timestamp: at, repository: 'library/dated' }));
    const [entry] = await logs('username=dora');
    expect(entry?.op_time).toBe(at);
  });

  it('does not let an event from the future move times forward', async () => {
    await send(event('pull', { timestamp: '2099-01-01T00:00:00Z' }));
    const row = await stat();
    expect(row?.pull_count).toBe(3);
    expect(row!.pull_time!.getTime()).toBeLessThan(Date.now() + 60_000);
  });

  it('does not audit core\'s own registry calls twice, but still keeps their stats', async () => {
    await send(event('push', { tag: '2', useragent: 'harbor-core/v2.13.0', actor: 'bob' }));
    expect(await logs('username=bob')).toEqual([]);
    expect((await stat())?.push_time).not.toBeNull();
  });

  it('forgets an artifact\'s stats when it is deleted by digest, not when a tag is', async () => {
    await send(event('delete', { tag: '1' }));
    expect(await stat()).toBeDefined();
    await send(event('delete'));
    expect(await stat()).toBeUndefined();
    expect((await logs('operation=delete')).map((e) => e.resource)).toEqual([`library/app@${digest}`, 'library/app:1']);
  });

  it('records events for repositories of unknown projects with project 0 rather than failing', async () => {
    expect((await send(event('push', { repository: 'ghost/app', tag: 'x', actor: 'carol' }))).status).toBe(200);
    const row = await h.database.db.selectFrom('audit_log').select('project_id').where('username', '=', 'carol').executeTakeFirstOrThrow();
    expect(row.project_id).toBe(0);
  });

  it('adds up a batch of pulls of one artifact into its count, and still audits each pull', async () => {
    const many = 'library/many';
    const audited = async () =>
      Number((await h.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('resource', 'like', `${many}%`).executeTakeFirstOrThrow()).n);
    await send(...Array.from({ length: 25 }, (_, i) => event('pull', { repository: many, tag: '1', timestamp: `2026-11-23T12:${String(10 + i).padStart(2, '0')}:00.000Z` })));
    const row = await h.database.db.selectFrom('artifact_stat').selectAll().where('repository_name', '=', many).executeTakeFirst();
    expect(row?.pull_count).toBe(25);
    expect(row?.pull_time?.toISOString()).toBe('2026-11-23T12:34:00.000Z');
    expect(await audited()).toBe(25);
  });

  it("takes a whole pull window's batch from the registry (1000 pulls in one POST): every pull counted and audited", async () => {
    const flood = 'library/flood';
    const audited = async () =>
      Number((await h.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('resource', 'like', `${flood}%`).executeTakeFirstOrThrow()).n);
    const res = await send(...Array.from({ length: 1000 }, () => event('pull', { repository: flood, tag: 'latest' })));
    expect(res.status).toBe(200);
    const row = await h.database.db.selectFrom('artifact_stat').selectAll().where('repository_name', '=', flood).executeTakeFirst();
    expect(row?.pull_count).toBe(1000);
    expect(await audited()).toBe(1000);
  });

  it('writes the pulls before a delete of the same artifact in one batch, so the delete wins', async () => {
    const other = 'library/batched';
    const statOf = () => h.database.db.selectFrom('artifact_stat').selectAll().where('repository_name', '=', other).executeTakeFirst();
    await send(event('push', { repository: other, tag: 'x' }), event('pull', { repository: other }), event('delete', { repository: other }));
    expect(await statOf()).toBeUndefined();
    await send(event('pull', { repository: other }), event('pull', { repository: other }));
    expect((await statOf())?.pull_count).toBe(2);
  });
});
