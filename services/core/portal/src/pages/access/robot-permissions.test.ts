import type { RobotPermission } from '../../api/robot.api';
import {
  accessFromSelection,
  optionKeys,
  projectRobotOptions,
  projectRobotPermissions,
  scopesOfRobot,
  selectionFromAccess,
  systemRobotPermissions,
} from './robot-permissions';

/** The permission picker's ticks ↔ the `permissions` body of Harbor's robot API. */
describe('robot permission mapping', () => {
  it('offers at least pull/push, artifact read/list/delete and tag create/delete/list', () => {
    const keys = optionKeys();
    for (const key of ['repository:pull', 'repository:push', 'artifact:read', 'artifact:list', 'artifact:delete', 'tag:create', 'tag:delete', 'tag:list']) {
      expect(keys).toContain(key);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('makes a project robot body of one project scope from the ticks, in the options order', () => {
    const access = accessFromSelection(['tag:list', 'repository:pull']);
    expect(projectRobotPermissions('web', access)).toEqual([
      {
        kind: 'project',
        namespace: 'web',
        access: [
          { resource: 'repository', action: 'pull', effect: 'allow' },
          { resource: 'tag', action: 'list', effect: 'allow' },
        ],
      },
    ]);
  });

  it('reads a robot back into the same ticks', () => {
    const access = accessFromSelection(['repository:push', 'artifact:delete']);
    expect(selectionFromAccess(access)).toEqual({ selected: ['repository:push', 'artifact:delete'], kept: [] });
  });

  it('ticks everything a wildcard covers, and keeps denials and pairs it does not offer', () => {
    const { selected, kept } = selectionFromAccess([
      { resource: 'tag', action: '*' },
      { resource: 'member', action: 'list' },
      { resource: 'repository', action: 'push', effect: 'deny' },
    ]);
    expect(selected).toEqual(['tag:list', 'tag:create', 'tag:delete']);
    expect(kept).toEqual([
      { resource: 'member', action: 'list' },
      { resource: 'repository', action: 'push', effect: 'deny' },
    ]);
    // Saving without a change keeps the entries it cannot show, after the ticks.
    expect(accessFromSelection(selected, kept).map((a) => `${a.effect ?? 'allow'} ${a.resource}:${a.action}`)).toEqual([
      'allow tag:list',
      'allow tag:create',
      'allow tag:delete',
      'allow member:list',
      'deny repository:push',
    ]);
  });

  it('gives each project a system robot covers the same access, and `*` alone when all projects are chosen', () => {
    const access = accessFromSelection(['repository:pull']);
    expect(systemRobotPermissions(['a', 'b', 'a'], access).map((s) => [s.kind, s.namespace, s.access.length])).toEqual([
      ['project', 'a', 1],
      ['project', 'b', 1],
    ]);
    expect(systemRobotPermissions(['a', '*'], access).map((s) => s.namespace)).toEqual(['*']);
    const system: RobotPermission = { kind: 'system', namespace: '/', access: [{ resource: 'audit-log', action: 'list' }] };
    expect(systemRobotPermissions(['a'], access, [system]).at(-1)).toBe(system);
  });

  it('reads a system robot: its projects, the union of their ticks, and whether they differed', () => {
    const permissions: RobotPermission[] = [
      { kind: 'project', namespace: 'a', access: [{ resource: 'repository', action: 'pull' }] },
      { kind: 'project', namespace: 'b', access: [{ resource: 'repository', action: 'push' }] },
      { kind: 'system', namespace: '/', access: [{ resource: 'audit-log', action: 'list' }] },
    ];
    const scopes = scopesOfRobot(permissions);
    expect(scopes.namespaces).toEqual(['a', 'b']);
    expect(scopes.selected).toEqual(['repository:pull', 'repository:push']);
    expect(scopes.mixed).toBe(true);
    expect(scopes.systemScopes).toEqual([permissions[2]]);
    expect(scopesOfRobot(permissions.slice(0, 1)).mixed).toBe(false);
  });

  it('keeps the resource of a key whose resource holds a dash', () => {
    expect(accessFromSelection(['artifact-label:create'], [], projectRobotOptions)).toEqual([{ resource: 'artifact-label', action: 'create', effect: 'allow' }]);
  });
});
