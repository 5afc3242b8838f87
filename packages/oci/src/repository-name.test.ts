import { isRepositoryName, isTag, projectOf } from './repository-name';

describe('repository names', () => {
  it('accepts single and multi-component names with the spec separators', () => {
    for (const good of ['library', 'library/hello', 'team/app/api', 'a.b/c_d/e__f/g-h/i---j', 'x1/2y']) {
      expect([good, isRepositoryName(good)]).toEqual([good, true]);
    }
  });

  it('refuses dot-dot, escapes, uppercase, empty components and stray separators', () => {
    for (const bad of ['', 'library/../etc', '..', 'library/..', 'a%2Fb', 'Library/hello', 'library//x', '/library',
      'library/', 'a/-b', 'a/b-', 'a___b', 'a..b', 'a/.b', 'a b', 'a:b', `a/${'b'.repeat(255)}`]) {
      expect([bad, isRepositoryName(bad)]).toEqual([bad, false]);
    }
  });

  it('takes the project from the first component', () => {
    expect(projectOf('team/app/api')).toBe('team');
    expect(projectOf('library')).toBe('library');
  });
});

describe('tags', () => {
  it('follows the spec grammar and its 128-character limit', () => {
    expect(isTag('latest')).toBe(true);
    expect(isTag('_v1.2-rc.3')).toBe(true);
    expect(isTag('A'.repeat(128))).toBe(true);
    expect(isTag('A'.repeat(129))).toBe(false);
    expect(isTag('.hidden')).toBe(false);
    expect(isTag('-x')).toBe(false);
    expect(isTag('a/b')).toBe(false);
    expect(isTag('a:b')).toBe(false);
    expect(isTag('')).toBe(false);
  });
});
