import { canonicalPath, decodeFully, pathOf } from './canonical-path';
import { decideRoute } from './route-table';

describe('route table', () => {
  it.each([
    ['/v2', 'registry'],
    ['/v2/', 'registry'],
    ['/v2/_catalog?n=10', 'registry'],
    ['/v2/library/hello/manifests/1', 'registry'],
    ['/v2/library/hello/blobs/uploads/?digest=sha256:abc', 'registry'],
    ['/service/token?service=harbor-registry&scope=repository:library/hello:pull', 'core'],
    ['/api/v2.0/projects', 'core'],
    ['/c/login', 'core'],
    ['/', 'core'],
    ['/index.html', 'core'],
    ['/v2x', 'core'],
    ['/v20/', 'core'],
    ['/health', 'core'],
  ])('sends %s to %s', (target, route) => {
    expect(decideRoute(target).route).toBe(route);
  });

  it.each([
    '/service/notifications',
    '/service/notifications/',
    '/service/notifications?x=1',
    '/service/notificationsX',
    '//service/notifications',
    '/service//notifications',
    '/./service/./notifications',
    '/SERVICE/Notifications',
    '/service/%6eotifications',
    '/service/%6Eotifications',
    '/%73ervice/notifications',
    '/service%2fnotifications',
    '/service/%256eotifications',
    '/service/%25256eotifications',
    '/v2/../service/notifications',
    '/v2/%2e%2e/service/notifications',
    '/v2/%2E%2E%2Fservice%2Fnotifications',
    '/api/v2.0/../../service/notifications',
    '/service\\notifications',
    '/service;x=1/notifications',
    '/v2/..;/service/notifications',
    '/service/notif%09ications',
    'http://harbor.test/service/notifications',
    '/internal',
    '/internal/uploads/purge',
    '/INTERNAL/uploads/purge',
    '/v2/../internal/uploads/purge',
    '/v2/..%2finternal/uploads/purge',
    '/%69nternal/uploads/purge',
    '/api/v2.0/../../internal/',
  ])('hides %s from outside', (target) => {
    expect(decideRoute(target).route).toBe('hidden');
  });

  it('does not hide paths that only look alike', () => {
    expect(decideRoute('/service/token').route).toBe('core');
    expect(decideRoute('/api/v2.0/internal').route).toBe('core');
    expect(decideRoute('/internalfoo').route).toBe('core');
    expect(decideRoute('/v2/internal/manifests/1').route).toBe('registry');
  });

  it('answers proxy errors on /v2 in the OCI envelope and elsewhere in Harbor\'s', () => {
    expect(decideRoute('/v2/x/blobs/sha256:1').envelope).toBe('oci');
    expect(decideRoute('/api/v2.0/ping').envelope).toBe('harbor');
  });
});

describe('canonical path', () => {
  it('takes the path of origin-form and absolute-form targets', () => {
    expect(pathOf('/a/b?c=/d')).toBe('/a/b');
    expect(pathOf('http://host:80/a/b?c')).toBe('/a/b');
    expect(pathOf('*')).toBe('/*');
  });

  it('decodes repeatedly but leaves malformed escapes alone', () => {
    expect(decodeFully('%2541')).toBe('A');
    expect(decodeFully('%zz%4')).toBe('%zz%4');
  });

  it('resolves dot segments without climbing above the root', () => {
    expect(canonicalPath('/../../a/./b/../c')).toBe('/a/c');
    expect(canonicalPath('')).toBe('/');
  });
});
