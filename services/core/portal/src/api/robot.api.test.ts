import { createRobot, deleteRobot, listRobots, refreshRobotSecret, Robot, robotQuery, setRobotDisabled, updateRobot, validRobotName } from './robot.api';
import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';

const robot: Robot = {
  id: 7,
  name: 'robot$web+ci',
  description: 'builds',
  level: 'project',
  duration: 30,
  disable: false,
  expires_at: 1_900_000_000,
  permissions: [{ kind: 'project', namespace: 'web', access: [{ resource: 'repository', action: 'pull', effect: 'allow' }] }],
  creation_time: '2025-01-01T00:00:00.000Z',
  update_time: '2025-01-01T00:00:00.000Z',
};

/** The robot API client against a stand-in `fetch`: what it sends, and what it makes of the answers. */
describe('robot API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('lists one project’s robots a page at a time, with Harbor’s q, and reads the total', async () => {
    server.answer = jsonAnswer([robot], { total: 23 });
    const page = await listRobots({ page: 2, pageSize: 15, level: 'project', projectId: 3, name: 'c,i' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/robots');
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('q')).toBe('Level=project,ProjectID=3,name=~ci');
    expect(page.total).toBe(23);
    expect(page.items[0]!.name).toBe('robot$web+ci');
  });

  it('keeps a hostile name search from changing the level or the project', () => {
    expect(robotQuery({ level: 'project', projectId: 3, name: 'x,Level=system,ProjectID=1' })).toBe('Level=project,ProjectID=3,name=~xLevel=systemProjectID=1');
    expect(robotQuery({ level: 'system', name: '"(ci)"' })).toBe('Level=system,name=~ci)');
    expect(robotQuery({ level: 'system', name: ' , ' })).toBe('Level=system');
  });

  it('lists system robots without a project', () => {
    expect(robotQuery({ level: 'system' })).toBe('Level=system');
  });

  it('creates with Harbor’s RobotCreate and the CSRF echo, and returns the secret once given', async () => {
    server.answer = jsonAnswer({ id: 9, name: 'robot$web+ci', secret: 'S3cretS3cret', expires_at: -1 }, { status: 201 });
    const created = await createRobot({ name: 'ci', description: '', level: 'project', duration: -1, permissions: robot.permissions });
    const call = server.calls[0]!;
    expect(call.init.method).toBe('POST');
    expect(call.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ name: 'ci', description: '', level: 'project', duration: -1, disable: false, permissions: robot.permissions });
    expect(created.secret).toBe('S3cretS3cret');
  });

  it('disables with a PUT of the whole robot, the flag flipped', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await setRobotDisabled(robot, true);
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/robots/7');
    expect(server.lastBody()).toEqual({ name: 'robot$web+ci', description: 'builds', level: 'project', duration: 30, disable: true, permissions: robot.permissions });
  });

  it('edits description, expiry and permissions, keeping the rest', async () => {
    server.answer = () => new Response(null, { status: 200 });
    const permissions = [{ kind: 'project' as const, namespace: 'web', access: [{ resource: 'repository', action: 'push' }] }];
    await updateRobot(robot, { description: 'pushes', duration: -1, permissions });
    expect(server.lastBody()).toEqual({ name: 'robot$web+ci', description: 'pushes', level: 'project', duration: -1, disable: false, permissions });
  });

  it('refreshes the secret with PATCH (an empty RobotSec lets the server make one) and returns it', async () => {
    server.answer = jsonAnswer({ secret: 'N3wSecretN3w' });
    expect(await refreshRobotSecret(7)).toBe('N3wSecretN3w');
    expect(server.calls[0]!.init.method).toBe('PATCH');
    expect(server.lastBody()).toEqual({});
    await refreshRobotSecret(7, 'Ch0senSecret');
    expect(server.lastBody()).toEqual({ secret: 'Ch0senSecret' });
  });

  it('deletes, and a refusal reads in the server’s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'FORBIDDEN', message: 'forbidden: the caller cannot grant push on repository in project web' }] }, { status: 403 });
    const err = await deleteRobot(7).catch((e: unknown) => e);
    expect(server.calls[0]!.init.method).toBe('DELETE');
    expect(errorText(err, (key) => key)).toBe('forbidden: the caller cannot grant push on repository in project web');
  });

  it.each([
    ['ci', true],
    ['ci.build-1_x', true],
    ['CI', false],
    ['a+b', false],
    ['robot$x', false],
    ['', false],
  ])('checks the robot name %j as %s', (name, valid) => {
    expect(validRobotName(name)).toBe(valid);
  });
});
