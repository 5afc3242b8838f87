import { expiryOf, parseRobotLoginName, robotLoginName, robotNameProblem, robotUnusable } from './robot';
import { robotPermissionsProblem, robotProjectActions } from './robot-permission';

describe('robot names', () => {
  it('renders Harbor’s login names and parses them back', () => {
    expect(robotLoginName({ name: 'ci', projectName: null })).toBe('robot$ci');
    expect(robotLoginName({ name: 'ci', projectName: 'team' })).toBe('robot$team+ci');
    expect(parseRobotLoginName('robot$ci')).toEqual({ projectName: null, name: 'ci' });
    expect(parseRobotLoginName('robot$team+ci')).toEqual({ projectName: 'team', name: 'ci' });
  });

  it.each(['alice', 'robot$', 'robot$+ci', 'robot$team+', 'Robot$ci'])('does not read %j as a robot', (login) => {
    expect(parseRobotLoginName(login)).toBeNull();
  });

  it.each(['a$b', 'a/b', '..', 'a..b', 'UPPER', 'a+b', '', 'x'.repeat(256), 'a b', '-a'])('refuses the robot name %j', (name) => {
    expect(robotNameProblem(name)).not.toBeNull();
  });

  it.each(['ci', 'ci-bot', 'ci.bot_2'])('accepts the robot name %j', (name) => {
    expect(robotNameProblem(name)).toBeNull();
  });
});

describe('robot expiry', () => {
  it('counts the duration in days from creation, -1 meaning never', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    expect(expiryOf(created, 2)).toBe(Date.parse('2026-01-03T00:00:00Z') / 1000);
    expect(expiryOf(created, -1)).toBe(-1);
  });

  it('refuses disabled and expired robots, not others', () => {
    expect(robotUnusable({ disabled: true, expiresAt: -1 }, 100)).toMatch(/disabled/);
    expect(robotUnusable({ disabled: false, expiresAt: 100 }, 100)).toMatch(/expired/);
    expect(robotUnusable({ disabled: false, expiresAt: 101 }, 100)).toBeNull();
    expect(robotUnusable({ disabled: false, expiresAt: -1 }, 1e12)).toBeNull();
  });
});

describe('robot permissions', () => {
  const team = { projectId: 7, name: 'team', isPublic: false };
  const pullPush = [{ kind: 'project' as const, namespace: 'team', access: [{ resource: 'repository', action: 'pull', effect: 'allow' as const }, { resource: 'repository', action: 'push', effect: 'allow' as const }] }];

  it('gives a project robot exactly its listed actions in its own project', () => {
    const actions = robotProjectActions({ level: 'project', projectId: 7, permissions: pullPush }, team);
    expect([...actions].sort()).toEqual(['repository:pull', 'repository:push']);
  });

  it('gives a project robot nothing in a re-created project of the same name (another id)', () => {
    expect([...robotProjectActions({ level: 'project', projectId: 7, permissions: pullPush }, { ...team, projectId: 8 })]).toEqual([]);
  });

  it('gives a robot what anybody may do in a public project, and no more', () => {
    const actions = robotProjectActions({ level: 'system', projectId: 0, permissions: [] }, { ...team, isPublic: true });
    expect(actions.has('repository:pull')).toBe(true);
    expect(actions.has('repository:push')).toBe(false);
  });

  it('reads `*` namespaces for system robots, expands `*` actions and applies deny last', () => {
    const permissions = [
      { kind: 'project' as const, namespace: '*', access: [{ resource: 'repository', action: '*', effect: 'allow' as const }, { resource: 'repository', action: 'delete', effect: 'deny' as const }] },
    ];
    const actions = robotProjectActions({ level: 'system', projectId: 0, permissions }, team);
    expect(actions.has('repository:pull')).toBe(true);
    expect(actions.has('repository:push')).toBe(true);
    expect(actions.has('repository:delete')).toBe(false);
    // A project robot's `*` namespace means nothing.
    expect(robotProjectActions({ level: 'project', projectId: 7, permissions }, team).size).toBe(0);
  });

  it('checks a permission list against the level', () => {
    expect(robotPermissionsProblem('project', pullPush, 'team')).toBeNull();
    expect(robotPermissionsProblem('project', pullPush, 'other')).toMatch(/exactly one/);
    expect(robotPermissionsProblem('project', [...pullPush, { ...pullPush[0]!, namespace: 'x' }], 'team')).toMatch(/exactly one/);
    expect(robotPermissionsProblem('project', [], 'team')).toMatch(/at least one/);
    expect(robotPermissionsProblem('system', [{ kind: 'system', namespace: '/', access: [{ resource: 'project', action: 'create', effect: 'allow' }] }], null)).toBeNull();
    expect(robotPermissionsProblem('system', [{ kind: 'system', namespace: 'team', access: [{ resource: 'project', action: 'create', effect: 'allow' }] }], null)).toMatch(/namespace/);
    expect(robotPermissionsProblem('system', [pullPush[0]!, pullPush[0]!], null)).toMatch(/twice/);
    expect(robotPermissionsProblem('project', [{ ...pullPush[0]!, access: [{ resource: 'repository', action: 'fly', effect: 'allow' }] }], 'team')).toMatch(/unknown action/);
    expect(robotPermissionsProblem('project', [{ ...pullPush[0]!, access: [{ resource: 'spaceship', action: 'pull', effect: 'allow' }] }], 'team')).toMatch(/unknown project resource/);
  });
});
