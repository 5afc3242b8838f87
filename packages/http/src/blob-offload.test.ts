/**
 * The blob hand-over contract between proxy and registry: what the registry
 * may announce, what the proxy accepts, and that every header of the family
 * is recognised (so none can slip past the proxy to or from a client).
 */
import {
  asksForBlobOffload,
  BlobHandOverError,
  blobHandOverHeaders,
  isBlobOffloadHeader,
  parseBlobHandOver,
  stripBlobOffloadHeaders,
} from './blob-offload';

describe('blob hand-over contract', () => {
  const file = 'blobs/sha256/ab/abcdef/data';

  it('reads back exactly what the registry announced', () => {
    const headers = blobHandOverHeaders({ file, offset: 5, length: 4_294_967_296 });
    expect(headers).toEqual({ 'x-harbor-blob-file': file, 'x-harbor-blob-offset': '5', 'x-harbor-blob-length': '4294967296' });
    expect(parseBlobHandOver(headers)).toEqual({ file, offset: 5, length: 4_294_967_296 });
  });

  it('takes an answer without X-Harbor-Blob-File as an ordinary one', () => {
    expect(parseBlobHandOver({ 'content-type': 'application/json' })).toBeNull();
  });

  it.each([
    ['a parent segment', '../etc/passwd'],
    ['a parent segment inside', 'blobs/../../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
    ['a dot segment', 'blobs/./data'],
    ['an empty segment', 'blobs//data'],
    ['a backslash', 'blobs\\..\\data'],
    ['a percent escape', 'blobs/%2e%2e/data'],
    ['a trailing slash', 'blobs/'],
    ['nothing', ''],
  ])('refuses a file with %s', (_what, bad) => {
    expect(() => parseBlobHandOver({ 'x-harbor-blob-file': bad, 'x-harbor-blob-offset': '0', 'x-harbor-blob-length': '1' })).toThrow(
      BlobHandOverError,
    );
    expect(() => blobHandOverHeaders({ file: bad, offset: 0, length: 1 })).toThrow(BlobHandOverError);
  });

  it.each([
    ['a missing offset', { 'x-harbor-blob-length': '1' }],
    ['a missing length', { 'x-harbor-blob-offset': '0' }],
    ['a negative offset', { 'x-harbor-blob-offset': '-1', 'x-harbor-blob-length': '1' }],
    ['a fractional length', { 'x-harbor-blob-offset': '0', 'x-harbor-blob-length': '1.5' }],
    ['a length past safe integers', { 'x-harbor-blob-offset': '0', 'x-harbor-blob-length': '9999999999999999' }],
    ['a repeated length', { 'x-harbor-blob-offset': '0', 'x-harbor-blob-length': ['1', '2'] }],
  ])('refuses an announcement with %s', (_what, rest) => {
    expect(() => parseBlobHandOver({ 'x-harbor-blob-file': file, ...rest })).toThrow(BlobHandOverError);
  });

  it('refuses to announce offsets and lengths that are not byte counts', () => {
    expect(() => blobHandOverHeaders({ file, offset: -1, length: 1 })).toThrow(BlobHandOverError);
    expect(() => blobHandOverHeaders({ file, offset: 0, length: 0.5 })).toThrow(BlobHandOverError);
    expect(() => blobHandOverHeaders({ file, offset: 0, length: Number.NaN })).toThrow(BlobHandOverError);
  });

  it('asks for a hand-over only with exactly one value, the internal secret', () => {
    const secret = 'a-secret-of-32-hex-digits-00ff99';
    expect(asksForBlobOffload({ 'x-harbor-blob-offload': secret }, secret)).toBe(true);
    for (const value of ['1', 'true', '', `${secret} `, secret.slice(0, -1)]) {
      expect(asksForBlobOffload({ 'x-harbor-blob-offload': value }, secret)).toBe(false);
    }
    expect(asksForBlobOffload({ 'x-harbor-blob-offload': [secret, secret] }, secret)).toBe(false);
    expect(asksForBlobOffload({}, secret)).toBe(false);
    expect(asksForBlobOffload({ 'x-harbor-blob-offload': '' }, '')).toBe(false);
  });

  it('recognises and strips the whole header family in any case', () => {
    expect(isBlobOffloadHeader('X-Harbor-Blob-File')).toBe(true);
    expect(isBlobOffloadHeader('x-harbor-blob-anything-new')).toBe(true);
    expect(isBlobOffloadHeader('x-harbor-blobs')).toBe(false);
    const headers: Record<string, unknown> = {
      'X-Harbor-Blob-Offload': '1',
      'x-harbor-blob-file': file,
      'x-harbor-blob-length': '3',
      'content-length': '0',
      'docker-content-digest': 'sha256:0',
    };
    stripBlobOffloadHeaders(headers);
    expect(headers).toEqual({ 'content-length': '0', 'docker-content-digest': 'sha256:0' });
  });
});
