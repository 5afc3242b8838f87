import { allowedActions, allowedSystemActions, highestRole, projectActions, splitAction, systemActions } from './permission';
import { Role, RoleName } from './role';

/**
 * Harbor's project policies written out by hand, cell by cell, so the test
 * pins the policy rather than re-deriving it from the code under test.
 * Mask letters: P projectAdmin, M maintainer, D developer, G guest,
 * L limitedGuest ('.' = no); the flag says whether anyone has it on a public project.
 */
const expected: Record<string, [string, boolean]> = {
  'project:read':                       ['PMDGL', true],
  'project:update':                     ['P....', false],
  'project:delete':                     ['P....', false],
  'member:create':                      ['P....', false],
  'member:read':                        ['PMDG.', false],
  'member:update':                      ['P....', false],
  'member:delete':                      ['P....', false],
  'member:list':                        ['PMDG.', false],
  'metadata:create':                    ['PM...', false],
  'metadata:read':                      ['PM...', false],
  'metadata:update':                    ['PM...', false],
  'metadata:delete':                    ['PM...', false],
  'log:list':                           ['PMDG.', false],
  'label:create':                       ['PM...', false],
  'label:read':                         ['PMDG.', true],
  'label:update':                       ['PM...', false],
  'label:delete':                       ['PM...', false],
  'label:list':                         ['PMDG.', true],
  'quota:read':                         ['PMDGL', false],
  'repository:create':                  ['PMD..', false],
  'repository:read':                    ['PMDG.', false],
  'repository:update':                  ['PMD..', false],
  'repository:delete':                  ['PM...', false],
  'repository:list':                    ['PMDGL', true],
  'repository:pull':                    ['PMDGL', true],
  'repository:push':                    ['PMD..', false],
  'tag-retention:create':               ['PM...', false],
  'tag-retention:read':                 ['PM...', false],
  'tag-retention:update':               ['PM...', false],
  'tag-retention:delete':               ['PM...', false],
  'tag-retention:list':                 ['PM...', false],
  'tag-retention:operate':              ['PM...', false],
  'immutable-tag:create':               ['PM...', false],
  'immutable-tag:update':               ['PM...', false],
  'immutable-tag:delete':               ['PM...', false],
  'immutable-tag:list':                 ['PM...', false],
  'helm-chart:create':                  ['PMD..', false],
  'helm-chart:read':                    ['PMDGL', true],
  'helm-chart:delete':                  ['PM...', false],
  'helm-chart:list':                    ['PMDGL', true],
  'helm-chart-version:create':          ['PMD..', false],
  'helm-chart-version:read':            ['PMDGL', true],
  'helm-chart-version:delete':          ['PM...', false],
  'helm-chart-version:list':            ['PMDGL', true],
  'helm-chart-version-label:create':    ['PMD..', false],
  'helm-chart-version-label:delete':    ['PMD..', false],
  'configuration:read':                 ['PMDGL', false],
  'configuration:update':               ['P....', false],
  'robot:create':                       ['P....', false],
  'robot:read':                         ['PMDG.', false],
  'robot:update':                       ['P....', false],
  'robot:delete':                       ['P....', false],
  'robot:list':                         ['PMDG.', false],
  'notification-policy:create':         ['P....', false],
  'notification-policy:read':           ['P....', false],
  'notification-policy:update':         ['P....', false],
  'notification-policy:delete':         ['P....', false],
  'notification-policy:list':           ['PM...', false],
  'scan:create':                        ['PM...', false],
  'scan:read':                          ['PMDGL', true],
  'scan:stop':                          ['PM...', false],
  'scanner:create':                     ['P....', false],
  'scanner:read':                       ['PMDGL', true],
  'artifact:create':                    ['PMD..', false],
  'artifact:read':                      ['PMDGL', true],
  'artifact:delete':                    ['PM...', false],
  'artifact:list':                      ['PMDGL', true],
  'artifact-addition:read':             ['PMDGL', true],
  'tag:create':                         ['PMD..', false],
  'tag:delete':                         ['PM...', false],
  'tag:list':                           ['PMDGL', true],
  'accessory:list':                     ['PMDGL', false],
  'artifact-label:create':              ['PMD..', false],
  'artifact-label:delete':              ['PMD..', false],
  'preheat-policy:create':              ['P....', false],
  'preheat-policy:read':                ['P....', false],
  'preheat-policy:update':              ['P....', false],
  'preheat-policy:delete':              ['P....', false],
  'preheat-policy:list':                ['P....', false],
};
const columns: RoleName[] = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'];

describe('the role → action matrix', () => {
  it('covers exactly the actions the code knows', () => {
    expect(Object.keys(expected).sort()).toEqual([...projectActions].sort());
  });

  const cells = Object.entries(expected).flatMap(([action, [mask, anyone]]) =>
    columns.map((role, i) => ({ role, action, allowed: mask[i] !== '.', anyone })),
  );

  it.each(cells)('$role on a private project: $action → $allowed', ({ role, action, allowed }) => {
    expect(allowedActions({ sysadmin: false, roles: [Role[role]], isPublic: false }).has(action)).toBe(allowed);
  });

  it.each(cells)('$role on a public project: $action → $allowed (or anyone may)', ({ role, action, allowed, anyone }) => {
    expect(allowedActions({ sysadmin: false, roles: [Role[role]], isPublic: true }).has(action)).toBe(allowed || anyone);
  });

  it.each(Object.keys(expected))('a system admin may %s in any project, member or not', (action) => {
    expect(allowedActions({ sysadmin: true, roles: [], isPublic: false }).has(action)).toBe(true);
  });

  it('gives a non-member nothing on a private project and only the public policies on a public one', () => {
    expect([...allowedActions({ sysadmin: false, roles: [], isPublic: false })]).toEqual([]);
    const publicOnes = Object.entries(expected).filter(([, [, anyone]]) => anyone).map(([a]) => a);
    expect([...allowedActions({ sysadmin: false, roles: [], isPublic: true })].sort()).toEqual(publicOnes.sort());
  });

  it('unions several roles and ignores unknown role ids', () => {
    const actions = allowedActions({ sysadmin: false, roles: [Role.guest, Role.developer, 99], isPublic: false });
    expect(actions.has('repository:push')).toBe(true);
    expect(actions.has('member:read')).toBe(true);
    expect(actions.has('repository:delete')).toBe(false);
  });

  it('gives system-level actions to system admins only', () => {
    expect(allowedSystemActions(true).has('user:delete')).toBe(true);
    expect(allowedSystemActions(true).has('catalog:read')).toBe(true);
    expect(allowedSystemActions(true).size).toBe(systemActions.length);
    expect(allowedSystemActions(false).size).toBe(0);
  });

  it('splits actions into Harbor resource/action pairs, hyphenated resources included', () => {
    expect(splitAction('tag-retention:operate')).toEqual({ resource: 'tag-retention', action: 'operate' });
  });

  it('reports the most powerful role held as the current role', () => {
    expect(highestRole([Role.guest, Role.maintainer, Role.developer])).toBe(Role.maintainer);
    expect(highestRole([Role.limitedGuest, Role.projectAdmin])).toBe(Role.projectAdmin);
    expect(highestRole([])).toBe(0);
  });
});
