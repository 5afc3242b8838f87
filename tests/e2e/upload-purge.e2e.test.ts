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
  beforeAll(async () => {
    suite = await startSuite();
  });
  afterAll(async () => suite?.stop());

  it('runs PURGE_UPLOADS and the abandoned upload is gone', async () => {
    const token = await tokenFor(suite, 'repository:library/purge-me:pull,push');
    const bearer = { authorization: `Bearer ${token}` };
    const started = await fetch(`${suite.url}/v2/library/purge-me/blobs/uploads/`, { method: 'POST', headers: bearer });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    const uploadUrl = new URL(location, suite.url).toString();
    const patched = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...bearer, 'content-type': 'application/octet-stream' },
      body: Buffer.from('half a layer'),
    });
    expect(patched.status).toBe(202);
    expect((await fetch(uploadUrl, { headers: bearer })).status).toBe(204);

    // A zero-minute age makes every upload abandoned; the job goes through the real queue and worker.
    const jobs = `http://127.0.0.1:${suite.ports.jobservice}/api/v1/jobs`;
    const secret = { authorization: `Harbor-Secret ${suite.internalSecret()}`, 'content-type': 'application/json' };
    const submitted = await fetch(jobs, { method: 'POST', headers: secret, body: JSON.stringify({ name: 'PURGE_UPLOADS', parameters: { olderThanMinutes: 0 } }) });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const finished = await waitFor('the job to finish', async () => {
      const res = await fetch(`${jobs}/${id}`, { headers: secret });
      const job = (await res.json()) as { status: string; result?: { purged: number } };
      return job.status === 'success' || job.status === 'error' ? job : undefined;
    });
    expect(finished.status).toBe('success');
    expect(finished.result!.purged).toBeGreaterThanOrEqual(1);

    const gone = await fetch(uploadUrl, { headers: bearer });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('refuses job submissions without the internal secret', async () => {
    const res = await fetch(`http://127.0.0.1:${suite.ports.jobservice}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'PURGE_UPLOADS', parameters: {} }),
    });
    expect(res.status).toBe(401);
  });
});
