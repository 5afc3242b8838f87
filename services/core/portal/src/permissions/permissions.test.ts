import { canFrom, Permission } from './permissions';

/** Lists in the shape core answers for each role (relative to the project), trimmed to what the portal asks. */
const developer: Permission[] = [
  { resource: '.', action: 'read' },
  { resource: 'repository', action: 'push' },
  { resource: 'repository', action: 'pull' },
  { resource: 'artifact', action: 'read' },
  { resource: 'tag', action: 'create' },
  { resource: 'member', action: 'list' },
];
const projectAdmin: Permission[] = [
  ...developer,
  { resource: '.', action: 'delete' },
  { resource: 'artifact', action: 'delete' },
  { resource: 'tag', action: 'delete' },
  { resource: 'member', action: 'create' },
  { resource: 'robot', action: 'create' },
];

describe('permission-driven UI state', () => {
  it('lets a developer push and tag but not delete artifacts, tags, members or the project', () => {
    const can = canFrom(developer);
    expect(can('repository', 'push')).toBe(true);
    expect(can('tag', 'create')).toBe(true);
    expect(can('artifact', 'delete')).toBe(false);
    expect(can('tag', 'delete')).toBe(false);
    expect(can('member', 'create')).toBe(false);
    expect(can('.', 'delete')).toBe(false);
  });

  it('lets a project admin delete and manage members and robots', () => {
    const can = canFrom(projectAdmin);
    expect(can('artifact', 'delete')).toBe(true);
    expect(can('member', 'create')).toBe(true);
    expect(can('robot', 'create')).toBe(true);
    expect(can('.', 'delete')).toBe(true);
  });

  it('allows nothing while the list is loading or when it could not be read', () => {
    expect(canFrom(null)('repository', 'pull')).toBe(false);
    expect(canFrom(undefined)('.', 'read')).toBe(false);
    expect(canFrom([])('artifact', 'read')).toBe(false);
  });

  it('does not confuse a resource with another that shares a prefix', () => {
    const can = canFrom([{ resource: 'artifact-addition', action: 'read' }]);
    expect(can('artifact', 'read')).toBe(false);
    expect(can('artifact-addition', 'read')).toBe(true);
  });
});
