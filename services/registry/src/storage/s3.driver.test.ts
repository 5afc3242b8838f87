import { randomUUID } from 'node:crypto';
import { S3Driver } from './s3.driver';
import { parseS3Options } from './s3-options';
import { startS3rver, S3TestServer } from './__tests__/s3rver.process';
import { storageDriverContract } from './__tests__/storage-driver.contract';

/** An S3-compatible server for this file; one bucket per test so every test starts empty. */
let server: S3TestServer;
let endpoint = '';
const drivers: S3Driver[] = [];

beforeAll(async () => {
  server = await startS3rver();
  endpoint = server.endpoint;
});

afterAll(async () => {
  for (const driver of drivers) driver.destroy();
  await server.stop();
});

async function freshDriver(extra: Record<string, string> = {}): Promise<S3Driver> {
  const bucket = `b-${randomUUID()}`;
  const options = parseS3Options({
    region: 'us-east-1',
    bucket,
    accesskey: 'S3RVER',
    secretkey: 'S3RVER',
    regionendpoint: endpoint,
    chunksize: String(5 * 1024 * 1024),
    ...extra,
  });
  await server.createBucket(bucket);
  const driver = new S3Driver(options);
  drivers.push(driver);
  return driver;
}

storageDriverContract('s3 (s3rver)', async () => ({ driver: await freshDriver(), cleanup: async () => undefined }));
storageDriverContract('s3 (s3rver, rootdirectory, 3-key list pages)', async () => ({
  driver: await freshDriver({ rootdirectory: '/harbor/registry/', listpagesize: '3' }),
  cleanup: async () => undefined,
}));
storageDriverContract('s3 (s3rver, redirect on)', async () => ({
  driver: await freshDriver({ redirect: 'true' }),
  cleanup: async () => undefined,
}));

describe('S3Driver beyond the contract', () => {
  // s3rver stores an object in ~80 ms, so 1000+ keys would take minutes: pages of 7 keys show the same paging.
  it('lists past one page of keys in key order', async () => {
    const driver = await freshDriver({ listpagesize: '7' });
    const names = Array.from({ length: 45 }, (_, i) => `k${String(i).padStart(5, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((n) => driver.putContent(`/many/${n}`, Buffer.from(n))));
    }
    expect(await driver.list('/many')).toEqual(names.map((n) => `/many/${n}`));
    let walked = 0;
    await driver.walk('/many', () => {
      walked++;
    });
    expect(walked).toBe(45);
    await driver.delete('/many');
    await expect(driver.list('/many')).rejects.toThrow('path not found');
  }, 120_000);

  it('stores under rootdirectory and nowhere else', async () => {
    const driver = await freshDriver({ rootdirectory: 'tenant-a' });
    const bucketless = await freshDriver();
    await driver.putContent('/x/data', Buffer.from('1'));
    expect(await driver.list('/')).toEqual(['/x']);
    expect(await bucketless.list('/')).toEqual([]);
  });

  it('reports an unreachable bucket as unhealthy (stat of the root fails)', async () => {
    const driver = new S3Driver(
      parseS3Options({ region: 'us-east-1', bucket: 'no-such-bucket', accesskey: 'S3RVER', secretkey: 'S3RVER', regionendpoint: endpoint }),
    );
    drivers.push(driver);
    await expect(driver.stat('/')).rejects.toThrow();
  });
});
