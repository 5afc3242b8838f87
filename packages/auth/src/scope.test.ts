import { allows, parseScope, parseScopes } from './scope';

describe('scope parsing', () => {
  it('reads type, multi-component name and actions', () => {
    expect(parseScope('repository:team/app/api:pull,push')).toEqual([
      { type: 'repository', name: 'team/app/api', actions: ['pull', 'push'] },
    ]);
  });
  it('reads several scopes and merges repeats', () => {
    expect(parseScopes(['repository:a/b:pull repository:c/d:push', 'repository:a/b:push'])).toEqual([
      { type: 'repository', name: 'a/b', actions: ['pull', 'push'] },
      { type: 'repository', name: 'c/d', actions: ['push'] },
    ]);
  });
  it('ignores malformed scopes', () => {
    expect(parseScope('garbage ::: repository::pull :x:y')).toEqual([]);
  });
  it('drops the resource class of repository(plugin)', () => {
    expect(parseScope('repository(plugin):a/b:pull')[0]!.type).toBe('repository');
  });
  it('checks granted actions', () => {
    const access = parseScope('repository:a/b:pull registry:catalog:*');
    expect(allows(access, 'repository', 'a/b', 'pull')).toBe(true);
    expect(allows(access, 'repository', 'a/b', 'push')).toBe(false);
    expect(allows(access, 'registry', 'catalog', '*')).toBe(true);
  });
});
