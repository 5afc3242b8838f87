import { parseScopes } from '@harbor/auth';
import { allowedActions, ProjectAction } from './permission';
import { grantAccess, projectOfRepository, projectsNamedIn } from './registry-access';
import { Role } from './role';

const standing = (roles: number[], isPublic = false): Set<ProjectAction> => allowedActions({ sysadmin: false, roles, isPublic });

function granted(scope: string, actionsByProject: Map<string, Set<ProjectAction>>, sysadmin = false): string[] {
  return grantAccess(parseScopes([scope]), { sysadmin, actionsByProject }).map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`);
}

describe('granting requested scopes', () => {
  const wantAll = 'repository:team/app:pull,push,delete,*';
  const roleCases = [
    { role: 'projectAdmin', id: Role.projectAdmin, grants: 'pull,push,delete,*' },
    { role: 'maintainer', id: Role.maintainer, grants: 'pull,push,delete,*' },
    { role: 'developer', id: Role.developer, grants: 'pull,push' },
    { role: 'guest', id: Role.guest, grants: 'pull' },
    { role: 'limitedGuest', id: Role.limitedGuest, grants: 'pull' },
  ];

  it.each(roleCases)('a $role asking for everything on a private project gets $grants', ({ id, grants }) => {
    expect(granted(wantAll, new Map([['team', standing([id])]]))).toEqual([`repository:team/app:${grants}`]);
  });

  it('gives anyone pull on a public project and nothing more', () => {
    expect(granted(wantAll, new Map([['team', standing([], true)]]))).toEqual(['repository:team/app:pull']);
  });

  it('gives a non-member nothing on a private project, keeping the resource with no actions', () => {
    expect(granted(wantAll, new Map([['team', standing([])]]))).toEqual(['repository:team/app:']);
  });

  it('gives nothing on a project that does not exist, even to a system admin', () => {
    expect(granted(wantAll, new Map(), true)).toEqual(['repository:team/app:']);
  });

  it('never grants more than was asked for', () => {
    expect(granted('repository:team/app:pull', new Map([['team', standing([Role.projectAdmin])]]))).toEqual(['repository:team/app:pull']);
  });

  it('ignores actions it does not know', () => {
    expect(granted('repository:team/app:pull,rm-rf', new Map([['team', standing([Role.projectAdmin])]]))).toEqual(['repository:team/app:pull']);
  });

  it('grants the catalog only to system admins', () => {
    expect(granted('registry:catalog:*', new Map(), true)).toEqual(['registry:catalog:*']);
    expect(granted('registry:catalog:*', new Map(), false)).toEqual(['registry:catalog:']);
  });

  it('grants nothing on unknown resource types or names without a project', () => {
    const admin = new Map([['team', standing([Role.projectAdmin])]]);
    expect(granted('blob:team/app:pull', admin)).toEqual(['blob:team/app:']);
    expect(granted('repository:app:pull', admin)).toEqual(['repository:app:']);
  });

  it('treats each scope on its own when several projects are named', () => {
    const scopes = parseScopes(['repository:a/x:pull,push', 'repository:b/y:pull,push']);
    const access = grantAccess(scopes, { sysadmin: false, actionsByProject: new Map([['a', standing([Role.developer])], ['b', standing([Role.guest])]]) });
    expect(access).toEqual([
      { type: 'repository', name: 'a/x', actions: ['pull', 'push'] },
      { type: 'repository', name: 'b/y', actions: ['pull'] },
    ]);
  });

  it('finds the project part of nested repository names', () => {
    expect(projectOfRepository('library/hello/world')).toBe('library');
    expect(projectOfRepository('hello')).toBeNull();
    expect(projectOfRepository('/hello')).toBeNull();
    expect(projectsNamedIn(parseScopes(['repository:a/x:pull repository:a/y:pull registry:catalog:*']))).toEqual(['a']);
  });
});
