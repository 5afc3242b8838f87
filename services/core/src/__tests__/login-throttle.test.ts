import { basic, createUser, Harness, startCore } from './support/core-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Small numbers so the test can wait cooldowns out: 3 failures per account
 * or 6 per address within a minute start a 1 s cooldown, doubling to at most 3 s.
 */
const throttle = { accountThreshold: 3, addressThreshold: 6, windowMs: 60_000, baseCooldownMs: 1000, maxCooldownMs: 3000 };

describe('login throttling', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startCore({ startOptions: { loginThrottle: throttle } });
    for (const name of ['tom', 'uma', 'vic', 'wes', 'xia']) await createUser(h, name, 'Passw0rdX');
  });
  afterAll(() => h.close());

  /** Basic auth on the API from a given client address (the proxy's X-Forwarded-For; the socket peer is loopback). */
  const current = (username: string, password: string, from: string) =>
    h.http.get('/api/v2.0/users/current').set('Authorization', basic(username, password)).set('X-Forwarded-For', from);

  it('refuses an account with 429 after repeated failures, even with the right password, and lets it in after the cooldown', async () => {
    for (let i = 0; i < 3; i++) expect((await current('tom', 'Wr0ngPassword', '203.0.113.1')).status).toBe(401);
    const refused = await current('tom', 'Passw0rdX', '203.0.113.1');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ errors: [{ code: 'TOO_MANY_REQUEST', message: expect.stringMatching(/too many failed login attempts/) }] });
    // The account is throttled wherever the attempt comes from.
    expect((await current('tom', 'Passw0rdX', '203.0.113.99')).status).toBe(429);
    // Other accounts from the same address are not affected (3 failures < 6 for the address).
    expect((await current('uma', 'Passw0rdX', '203.0.113.1')).status).toBe(200);
    await sleep(1300);
    expect((await current('tom', 'Passw0rdX', '203.0.113.1')).status).toBe(200);
  });

  it('forgets an account’s failures after a successful login', async () => {
    for (let i = 0; i < 2; i++) expect((await current('vic', 'Wr0ngPassword', '203.0.113.2')).status).toBe(401);
    expect((await current('vic', 'Passw0rdX', '203.0.113.2')).status).toBe(200);
    // Two more failures: 2, not 4, since the success reset the count; still under the threshold.
    for (let i = 0; i < 2; i++) expect((await current('vic', 'Wr0ngPassword', '203.0.113.2')).status).toBe(401);
    expect((await current('vic', 'Passw0rdX', '203.0.113.2')).status).toBe(200);
  });

  it('makes the cooldown grow with further failures, but never past the bound', async () => {
    for (let i = 0; i < 3; i++) await current('wes', 'Wr0ngPassword', '203.0.113.3');
    await sleep(1300);
    // One more failure past the threshold: the cooldown doubles to 2 s.
    expect((await current('wes', 'Wr0ngPassword', '203.0.113.3')).status).toBe(401);
    await sleep(1300);
    expect((await current('wes', 'Passw0rdX', '203.0.113.3')).status).toBe(429);
    await sleep(1000);
    // Keep failing: 4 s would be next, the bound is 3 s.
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await current('wes', 'Wr0ngPassword', '203.0.113.3')).status).toBe(401);
      await sleep(3300);
    }
    expect((await current('wes', 'Passw0rdX', '203.0.113.3')).status).toBe(200);
  });

  it('throttles a source address trying many accounts, and only that address', async () => {
    const from = '198.51.100.7';
    for (const name of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']) expect((await current(name, 'Wr0ngPassword', from)).status).toBe(401);
    expect((await current('xia', 'Passw0rdX', from)).status).toBe(429);
    expect((await current('xia', 'Passw0rdX', '198.51.100.8')).status).toBe(200);
    await sleep(1300);
    expect((await current('xia', 'Passw0rdX', from)).status).toBe(200);
  });

  it('counts failures at /c/login and /service/token as well, and refuses there too', async () => {
    await createUser(h, 'yan', 'Passw0rdX');
    const from = '192.0.2.10';
    const portal = (password: string) => h.http.post('/c/login').set('X-Forwarded-For', from).type('form').send({ principal: 'yan', password });
    const token = (password: string) =>
      h.http.get('/service/token').query({ service: 'harbor-registry', scope: 'repository:library/x:pull' }).set('X-Forwarded-For', from).set('Authorization', basic('yan', password));
    expect((await portal('Wr0ngPassword')).status).toBe(401);
    expect((await token('Wr0ngPassword')).status).toBe(401);
    expect((await h.http.post('/service/token').set('X-Forwarded-For', from).type('form').send({ grant_type: 'password', username: 'yan', password: 'Wr0ngPassword', service: 'harbor-registry' })).status).toBe(401);
    const refusedToken = await token('Passw0rdX');
    expect(refusedToken.status).toBe(429);
    expect(refusedToken.body.errors[0].code).toBe('TOO_MANY_REQUEST');
    expect((await portal('Passw0rdX')).status).toBe(429);
    await sleep(1300);
    expect((await portal('Passw0rdX')).status).toBe(200);
    expect((await token('Passw0rdX')).status).toBe(200);
  });
});

describe('logins while Redis is unreachable', () => {
  let h: Harness;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    h = await startCore({ config: { redisUrl: 'redis://127.0.0.1:1' }, startOptions: { loginThrottle: throttle } });
  });
  afterAll(() => h.close());

  it('lets Basic logins through unthrottled (a counter outage must not lock everybody out) and still refuses wrong passwords', async () => {
    for (let i = 0; i < 5; i++) expect((await h.http.get('/api/v2.0/users/current').set('Authorization', basic('admin', 'Wr0ngPassword'))).status).toBe(401);
    const me = await h.http.get('/api/v2.0/users/current').set('Authorization', basic('admin', h.config.adminInitialPassword));
    expect(me.status).toBe(200);
  });

  it('answers 503 to a portal login, which needs the session store, and ignores session cookies', async () => {
    const res = await h.http.post('/c/login').type('form').send({ principal: 'admin', password: h.config.adminInitialPassword });
    expect(res.status).toBe(503);
    expect(res.body.errors[0].code).toBe('SERVICE_UNAVAILABLE');
    expect((await h.http.get('/api/v2.0/users/current').set('Cookie', `sid=${'A'.repeat(43)}`)).status).toBe(401);
  });
});
