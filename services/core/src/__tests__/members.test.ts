import { addMember, asAdmin, createProject, createUser, Harness, startCore } from './support/core-harness';

describe('/api/v2.0/projects/{project}/members', () => {
  let h: Harness;
  let owner: { id: number; auth: string };
  let dev: { id: number; auth: string };
  let limited: { id: number; auth: string };
  let outsider: { id: number; auth: string };
  let projectId: number;

  beforeAll(async () => {
    h = await startCore();
    owner = await createUser(h, 'owner');
    dev = await createUser(h, 'dev');
    limited = await createUser(h, 'limited');
    outsider = await createUser(h, 'outsider');
    projectId = await createProject(h, 'team', owner.auth);
  });
  afterAll(() => h.close());

  it('lets the project admin add a member by username: 201 with Location, then listed with the role', async () => {
    const res = await h.http.post('/api/v2.0/projects/team/members').set('Authorization', owner.auth).send({ role_id: 2, member_user: { username: 'dev' } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`^/api/v2\\.0/projects/${projectId}/members/\\d+$`));
    const got = await h.http.get(res.headers.location!).set('Authorization', owner.auth);
    expect(got.body).toEqual({ id: expect.any(Number), project_id: projectId, entity_name: 'dev', role_name: 'developer', role_id: 2, entity_id: dev.id, entity_type: 'u' });
  });

  it('adds a member by user_id too', async () => {
    const res = await h.http.post(`/api/v2.0/projects/${projectId}/members`).set('Authorization', owner.auth).send({ role_id: 5, member_user: { user_id: limited.id } });
    expect(res.status).toBe(201);
  });

  it('lists members with X-Total-Count, filters by entityname', async () => {
    const res = await h.http.get('/api/v2.0/projects/team/members').set('Authorization', dev.auth);
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.body.map((m: { entity_name: string; role_id: number }) => [m.entity_name, m.role_id])).toEqual([['owner', 1], ['dev', 2], ['limited', 5]]);
    const filtered = await h.http.get('/api/v2.0/projects/team/members').query({ entityname: 'lim' }).set('Authorization', owner.auth);
    expect(filtered.body.map((m: { entity_name: string }) => m.entity_name)).toEqual(['limited']);
  });

  it('answers 409 for a user who already is a member', async () => {
    const res = await h.http.post('/api/v2.0/projects/team/members').set('Authorization', owner.auth).send({ role_id: 3, member_user: { username: 'dev' } });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe('CONFLICT');
  });

  it.each([
    ['an unknown role', { role_id: 9, member_user: { username: 'outsider' } }],
    ['a role of the wrong type', { role_id: '2', member_user: { username: 'outsider' } }],
    ['no member', { role_id: 2 }],
    ['an unknown user', { role_id: 2, member_user: { username: 'ghost' } }],
    ['a group member', { role_id: 2, member_group: { group_name: 'devs' } }],
  ])('answers 400 for %s', async (_why, body) => {
    const res = await h.http.post('/api/v2.0/projects/team/members').set('Authorization', owner.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('BAD_REQUEST');
  });

  it('lets only project admins and system admins manage members', async () => {
    const body = { role_id: 1, member_user: { username: 'outsider' } };
    expect((await h.http.post('/api/v2.0/projects/team/members').set('Authorization', dev.auth).send(body)).status).toBe(403);
    expect((await h.http.post('/api/v2.0/projects/team/members').set('Authorization', outsider.auth).send(body)).status).toBe(403);
    expect((await h.http.post('/api/v2.0/projects/team/members').send(body)).status).toBe(401);
    const members = await h.http.get('/api/v2.0/projects/team/members').set('Authorization', owner.auth);
    expect(members.body.map((m: { entity_name: string }) => m.entity_name)).not.toContain('outsider');
    const byAdmin = await h.http.post('/api/v2.0/projects/team/members').set('Authorization', asAdmin).send({ role_id: 3, member_user: { username: 'outsider' } });
    expect(byAdmin.status).toBe(201);
  });

  it('hides the member list from limited guests and non-members', async () => {
    expect((await h.http.get('/api/v2.0/projects/team/members').set('Authorization', limited.auth)).status).toBe(403);
    const stranger = await createUser(h, 'stranger');
    expect((await h.http.get('/api/v2.0/projects/team/members').set('Authorization', stranger.auth)).status).toBe(403);
    expect((await h.http.get('/api/v2.0/projects/team/members')).status).toBe(401);
  });

  it('updates a role with PUT and removes a member with DELETE', async () => {
    const mid = await addMember(h, 'team', 'stranger', 3, owner.auth);
    expect((await h.http.put(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth).send({ role_id: 4 })).status).toBe(200);
    expect((await h.http.get(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth)).body.role_name).toBe('maintainer');
    expect((await h.http.put(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth).send({ role_id: 0 })).status).toBe(400);
    expect((await h.http.put(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', dev.auth).send({ role_id: 1 })).status).toBe(403);
    expect((await h.http.delete(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', dev.auth)).status).toBe(403);
    expect((await h.http.delete(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth)).status).toBe(200);
    expect((await h.http.get(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth)).status).toBe(404);
    expect((await h.http.delete(`/api/v2.0/projects/team/members/${mid}`).set('Authorization', owner.auth)).status).toBe(404);
  });

  it("does not reach another project's members through this project's path", async () => {
    const other = await createUser(h, 'other');
    await createProject(h, 'elsewhere', other.auth);
    const otherMembers = await h.http.get('/api/v2.0/projects/elsewhere/members').set('Authorization', other.auth);
    const foreignId = otherMembers.body[0].id as number;
    // The team owner is admin of `team`, not of `elsewhere`: the id is unknown here.
    expect((await h.http.get(`/api/v2.0/projects/team/members/${foreignId}`).set('Authorization', owner.auth)).status).toBe(404);
    expect((await h.http.put(`/api/v2.0/projects/team/members/${foreignId}`).set('Authorization', owner.auth).send({ role_id: 5 })).status).toBe(404);
    expect((await h.http.delete(`/api/v2.0/projects/team/members/${foreignId}`).set('Authorization', owner.auth)).status).toBe(404);
    const after = await h.http.get('/api/v2.0/projects/elsewhere/members').set('Authorization', other.auth);
    expect(after.body).toEqual(otherMembers.body);
  });

  it('answers 400 for a member id that is not a number and 404 for a missing project', async () => {
    expect((await h.http.get('/api/v2.0/projects/team/members/abc').set('Authorization', owner.auth)).status).toBe(400);
    expect((await h.http.get('/api/v2.0/projects/nosuch/members').set('Authorization', asAdmin)).status).toBe(404);
  });
});
