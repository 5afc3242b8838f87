import { mkdirSync, renameSync } from 'node:fs';
import { startRegistry, Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.stop();
});

describe('health', () => {
  it('is healthy without any credentials when database and storage answer', async () => {
    const res = await h.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy' });
  });

  it('answers 503 naming the storage when its root directory is gone', async () => {
    const aside = `${h.storageRoot}-aside`;
    renameSync(h.storageRoot, aside);
    try {
      const res = await h.http.get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unhealthy', components: { database: true, storage: false } });
    } finally {
      renameSync(aside, h.storageRoot);
      mkdirSync(h.storageRoot, { recursive: true });
    }
    expect((await h.http.get('/health')).status).toBe(200);
  });
});
