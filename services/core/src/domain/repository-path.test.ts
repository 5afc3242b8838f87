import { AppError } from '@harbor/errors';
import { encodeRepositoryPath, parseArtifactReference, repositoryNameFromPath } from './repository-path';

/** What express hands a route after its one decode of the raw path segment. */
const routerDecoded = (raw: string) => decodeURIComponent(raw);

describe('repository names in API paths', () => {
  it('decodes Harbor\'s double encoding: a/b is sent as a%252Fb', () => {
    expect(encodeRepositoryPath('library/a/b')).toBe('a%252Fb');
    expect(repositoryNameFromPath('library', routerDecoded('a%252Fb'))).toBe('library/a/b');
    expect(repositoryNameFromPath('library', routerDecoded('hello'))).toBe('library/hello');
  });

  it('round-trips names with several components', () => {
    const name = 'proj/team/app/web';
    expect(repositoryNameFromPath('proj', routerDecoded(encodeRepositoryPath(name)))).toBe(name);
  });

  it.each([['..%252F..%252Fetc'], ['a%252F%252Fb'], ['%252Fabs'], ['UPPER'], ['a%25zz'], ['a%252F..'], ['semi;colon'], ['a%2520b']])(
    'refuses %s with a 400',
    (raw) => {
      let error: unknown;
      try {
        repositoryNameFromPath('library', routerDecoded(raw));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
    },
  );

  it('refuses names longer than 255 characters', () => {
    expect(() => repositoryNameFromPath('library', 'a'.repeat(250))).toThrow(AppError);
  });
});

describe('artifact references', () => {
  it('tells digests from tags', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(parseArtifactReference(digest)).toEqual({ kind: 'digest', digest });
    expect(parseArtifactReference('v1.0')).toEqual({ kind: 'tag', tag: 'v1.0' });
  });

  it.each([['sha256:xyz'], [`sha256:${'A'.repeat(64)}`], ['md5:abcd'], ['-tag'], ['a'.repeat(129)], ['../x']])('refuses %s', (value) => {
    expect(() => parseArtifactReference(value)).toThrow(AppError);
  });
});
