import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(120_000);

/** What the outside world sees through the proxy, before any client logic. */
describe('the public surface of a running suite', () => {
  let suite: RunningSuite;
  beforeAll(async () => {
    suite = await startSuite();
  });
  afterAll(async () => suite?.stop());

  it('challenges /v2/ exactly as Docker clients expect', async () => {
    const res = await fetch(`${suite.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${suite.url}/service/token",service="harbor-registry"`);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('UNAUTHORIZED');
  });

  it('names the scope a pull needs in the challenge for a repository', async () => {
    const res = await fetch(`${suite.url}/v2/library/hello/manifests/1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${suite.url}/service/token",service="harbor-registry",scope="repository:library/hello:pull"`,
    );
  });

  it.each(['/service/notifications', '//service/notifications', '/service/%6eotifications', '/v2/../service/notifications', '/internal/uploads/purge'])(
    'hides %s from outside, with a secret or not',
    async (path) => {
      const res = await fetch(`${suite.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Harbor-Secret ${suite.internalSecret()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [], olderThanMinutes: 0 }),
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('NOT_FOUND');
    },
  );

  it('answers ping and a healthy report naming every component', async () => {
    expect(await (await fetch(`${suite.url}/api/v2.0/ping`)).text()).toBe('Pong');
    const health = (await (await fetch(`${suite.url}/api/v2.0/health`)).json()) as { status: string; components: Array<{ name: string; status: string }> };
    expect(health.status).toBe('healthy');
    expect(health.components.map((c) => c.name).sort()).toEqual(['core', 'database', 'jobservice', 'log', 'redis', 'registry']);
    expect(health.components.every((c) => c.status === 'healthy')).toBe(true);
  });

  it('issues a token whose access holds only what an anonymous caller may do', async () => {
    const res = await fetch(`${suite.url}/service/token?service=harbor-registry&scope=repository:library/hello:pull,push,delete`);
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { access: unknown };
    expect(claims.access).toEqual([{ type: 'repository', name: 'library/hello', actions: ['pull'] }]);
  });
});
