import { allowedActions, highestRole, ProjectAction, projectActions } from './permission';
import { Role, RoleName } from './role';

/**
 * Harbor's matrix written out by hand, cell by cell, so the test pins the
 * policy rather than re-deriving it from the code under test.
 * Columns: projectAdmin, maintainer, developer, guest, limitedGuest.
 */
const expected: Record<ProjectAction, [boolean, boolean, boolean, boolean, boolean]> = {
  'project:read':      [true, true, true, true, true],
  'project:update':    [true, false, false, false, false],
  'project:delete':    [true, false, false, false, false],
  'member:list':       [true, true, true, true, false],
  'member:read':       [true, true, true, true, false],
  'member:create':     [true, false, false, false, false],
  'member:update':     [true, false, false, false, false],
  'member:delete':     [true, false, false, false, false],
  'repository:pull':   [true, true, true, true, true],
  'repository:push':   [true, true, true, false, false],
  'repository:delete': [true, true, false, false, false],
  'repository:*':      [true, false, false, false, false],
};
const columns: RoleName[] = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'];

describe('the role → action matrix', () => {
  it('covers every action the code knows', () => {
    expect(Object.keys(expected).sort()).toEqual([...projectActions].sort());
  });

  const cells = projectActions.flatMap((action) =>
    columns.map((role, i) => ({ role, action, allowed: expected[action][i]! })),
  );

  it.each(cells)('$role on a private project: $action → $allowed', ({ role, action, allowed }) => {
    expect(allowedActions({ sysadmin: false, roles: [Role[role]], isPublic: false }).has(action)).toBe(allowed);
  });

  it.each(cells)('$role on a public project: $action → $allowed (or anyone may)', ({ role, action, allowed }) => {
    const anyone = action === 'project:read' || action === 'repository:pull';
    expect(allowedActions({ sysadmin: false, roles: [Role[role]], isPublic: true }).has(action)).toBe(allowed || anyone);
  });

  it.each(projectActions)('a system admin may %s in any project, member or not', (action) => {
    expect(allowedActions({ sysadmin: true, roles: [], isPublic: false }).has(action)).toBe(true);
  });

  it('gives a non-member nothing on a private project and only read and pull on a public one', () => {
    expect([...allowedActions({ sysadmin: false, roles: [], isPublic: false })]).toEqual([]);
    expect([...allowedActions({ sysadmin: false, roles: [], isPublic: true })].sort()).toEqual(['project:read', 'repository:pull']);
  });

  it('unions several roles and ignores unknown role ids', () => {
    const actions = allowedActions({ sysadmin: false, roles: [Role.guest, Role.developer, 99], isPublic: false });
    expect(actions.has('repository:push')).toBe(true);
    expect(actions.has('repository:delete')).toBe(false);
  });

  it('reports the most powerful role held as the current role', () => {
    expect(highestRole([Role.guest, Role.maintainer, Role.developer])).toBe(Role.maintainer);
    expect(highestRole([Role.limitedGuest, Role.projectAdmin])).toBe(Role.projectAdmin);
    expect(highestRole([])).toBe(0);
  });
});
