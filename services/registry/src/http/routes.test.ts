import { matchRoute } from './routes';

describe('v2 routes', () => {
  it('recognises every endpoint with multi-component names', () => {
    expect(matchRoute('/')).toEqual({ kind: 'base', name: '', reference: '' });
    expect(matchRoute('')).toMatchObject({ kind: 'base' });
    expect(matchRoute('/_catalog')).toMatchObject({ kind: 'catalog' });
    expect(matchRoute('/a/b/c/tags/list')).toEqual({ kind: 'tags', name: 'a/b/c', reference: '' });
    expect(matchRoute('/a/b/manifests/latest')).toEqual({ kind: 'manifest', name: 'a/b', reference: 'latest' });
    expect(matchRoute('/a/b/blobs/uploads/')).toEqual({ kind: 'uploads', name: 'a/b', reference: '' });
    expect(matchRoute('/a/b/blobs/uploads')).toEqual({ kind: 'uploads', name: 'a/b', reference: '' });
    expect(matchRoute('/a/b/blobs/uploads/1234')).toEqual({ kind: 'upload', name: 'a/b', reference: '1234' });
    expect(matchRoute('/a/b/blobs/sha256:abc')).toEqual({ kind: 'blob', name: 'a/b', reference: 'sha256:abc' });
    expect(matchRoute('/a/b/referrers/sha256:abc')).toEqual({ kind: 'referrers', name: 'a/b', reference: 'sha256:abc' });
  });

  it('lets a repository be called like a route word', () => {
    expect(matchRoute('/p/blobs/manifests/v1')).toEqual({ kind: 'manifest', name: 'p/blobs', reference: 'v1' });
    expect(matchRoute('/p/tags/tags/list')).toEqual({ kind: 'tags', name: 'p/tags', reference: '' });
    expect(matchRoute('/p/referrers/manifests/v1')).toEqual({ kind: 'manifest', name: 'p/referrers', reference: 'v1' });
  });

  it('keeps escapes and dot segments in the name for the validator to refuse', () => {
    expect(matchRoute('/a%2Fb/manifests/x')).toMatchObject({ name: 'a%2Fb' });
    expect(matchRoute('/a/../b/manifests/x')).toMatchObject({ name: 'a/../b' });
  });

  it('has no route for anything else', () => {
    for (const p of ['/a', '/a/manifests', '/a/manifests/', '/a/blobs/', '/a/tags', '/a/referrerz/x']) expect(matchRoute(p)).toBeNull();
  });
});
