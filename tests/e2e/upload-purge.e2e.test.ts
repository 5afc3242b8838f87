import { createConnection } from 'mysql2/promise';
import { waitFor } from '@harbor/testkit';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(120_000);

async function tokenFor(suite: RunningSuite, scope: string): Promise<string> {
  const auth = Buffer.from(`admin:${suite.adminPassword}`).toString('base64');
  const res = await fetch(`${suite.url}/service/token?service=harbor-registry&scope=${encodeURIComponent(scope)}`, {
    headers: { authorization: `Basic ${auth}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** The jobservice's first real job, end to end: abandoned uploads are purged from the registry. */
describe('purging abandoned uploads through the jobservice', () => {
  let suite: RunningSuite;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    suite = await startSuite();
    bearer = { authorization: `Bearer ${await tokenFor(suite, 'repository:library/purge-me:pull,push')}` };
  });
  afterAll(async () => suite?.stop());

  async function startUpload(): Promise<{ url: string; uuid: string }> {
    const started = await fetch(`${suite.url}/v2/library/purge-me/blobs/uploads/`, { method: 'POST', headers: bearer });
    expect(started.status).toBe(202);
    const url = new URL(started.headers.get('location')!, suite.url).toString();
    const patched = await fetch(url, { method: 'PATCH', headers: { ...bearer, 'content-type': 'application/octet-stream' }, body: Buffer.from('half a layer') });
    expect(patched.status).toBe(202);
    return { url, uuid: started.headers.get('docker-upload-uuid')! };
  }

  it('runs PURGE_UPLOADS through the real queue: the abandoned upload goes, the fresh one stays', async () => {
    const abandoned = await startUpload();
    const fresh = await startUpload();
    // Age one upload by two hours, as if its client had vanished then.
    const conn = await createConnection(suite.database);
    const [result] = await conn.query('UPDATE blob_upload SET update_time = NOW(3) - INTERVAL 2 HOUR WHERE uuid = ?', [abandoned.uuid]);
    await conn.end();
    expect((result as { affectedRows: number }).affectedRows).toBe(1);

    const jobs = `http://127.0.0.1:${suite.ports.jobservice}/api/v1/jobs`;
    const secret = { authorization: `Harbor-Secret ${suite.internalSecret()}`, 'content-type': 'application/json' };
    const submitted = await fetch(jobs, { method: 'POST', headers: secret, body: JSON.stringify({ name: 'PURGE_UPLOADS', parameters: { olderThanMinutes: 60 } }) });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const finished = await waitFor('the job to finish', async () => {
      const job = (await (await fetch(`${jobs}/${id}`, { headers: secret })).json()) as { status: string; result?: { purged: number } };
      return job.status === 'success' || job.status === 'error' ? job : undefined;
    });
    expect(finished).toEqual(expect.objectContaining({ status: 'success', result: { purged: 1 } }));

    const gone = await fetch(abandoned.url, { headers: bearer });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
    const kept = await fetch(fresh.url, { headers: bearer });
    expect(kept.status).toBe(204);
    expect(kept.headers.get('range')).toBe(`0-${'half a layer'.length - 1}`);
  });

  it('refuses job submissions without the internal secret', async () => {
    const res = await fetch(`http://127.0.0.1:${suite.ports.jobservice}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'PURGE_UPLOADS', parameters: {} }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('UNAUTHORIZED');
  });
});
