import { StandInRegistry } from '../__tests__/support/stand-in-registry';
import { HttpRegistryClient } from './registry.client';

describe('HttpRegistryClient.purgeUploads', () => {
  const secret = 'client-test-secret';
  let registry: StandInRegistry;

  beforeAll(async () => {
    registry = await new StandInRegistry(secret).start();
  });
  afterAll(() => registry.stop());

  it('posts the age with the internal secret and returns the purged count', async () => {
    registry.respond = (minutes) => ({ status: 200, body: { purged: minutes * 2 } });
    const client = new HttpRegistryClient({ baseUrl: `${registry.url}/`, internalSecret: secret });
    await expect(client.purgeUploads(21)).resolves.toEqual({ purged: 42 });
    expect(registry.callsFor(21)).toEqual([{ authorized: true, contentType: 'application/json', body: { olderThanMinutes: 21 } }]);
  });

  it('fails when the registry refuses the secret', async () => {
    const client = new HttpRegistryClient({ baseUrl: registry.url, internalSecret: 'wrong' });
    await expect(client.purgeUploads(5)).rejects.toThrow(/registry answered 401/);
  });

  it.each([
    ['no purged count', { deleted: 3 }],
    ['a negative count', { purged: -1 }],
    ['a body that is not JSON', undefined],
  ])('fails on an answer with %s', async (_what, body) => {
    registry.respond = () => ({ status: 200, body });
    const client = new HttpRegistryClient({ baseUrl: registry.url, internalSecret: secret });
    await expect(client.purgeUploads(5)).rejects.toThrow(/registry answered POST/);
  });

  it('fails when the registry is not there', async () => {
    const client = new HttpRegistryClient({ baseUrl: 'http://127.0.0.1:1', internalSecret: secret });
    await expect(client.purgeUploads(5)).rejects.toThrow();
  });
});
