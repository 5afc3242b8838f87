import {
  addTag,
  buildHistory,
  deleteArtifact,
  deleteTag,
  getArtifact,
  isIndex,
  listArtifacts,
  listLayers,
  platformText,
  pullCommand,
  shortDigest,
  tagNamePattern,
} from './artifact.api';
import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { repositoryApiPath } from './repository.api';

const digest = `sha256:${'ab12'.repeat(16)}`;

/** The artifacts API client against a stand-in `fetch`: the paths it builds, what it sends, what it makes of answers. */
describe('artifact API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
    server.answer = () => new Response(null, { status: 200 });
  });
  const raw = () => server.calls[server.calls.length - 1]!.url;

  it('encodes a repository name with slashes twice, as Harbor\'s paths want it', () => {
    expect(repositoryApiPath('demo', 'team/app')).toBe('/api/v2.0/projects/demo/repositories/team%252Fapp');
    expect(repositoryApiPath('demo', 'app')).toBe('/api/v2.0/projects/demo/repositories/app');
  });

  it('asks for one page of artifacts with tags, newest first, and reads the total from X-Total-Count', async () => {
    server.answer = jsonAnswer([{ id: 1, digest }], { total: 31 });
    const page = await listArtifacts('demo', 'team/app', { page: 2, pageSize: 15 });
    expect(raw().startsWith('/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts?')).toBe(true);
    const params = server.lastUrl().searchParams;
    expect(params.get('page')).toBe('2');
    expect(params.get('page_size')).toBe('15');
    expect(params.get('with_tag')).toBe('true');
    expect(params.get('with_label')).toBe('false');
    expect(params.get('sort')).toBe('-push_time');
    expect(params.has('q')).toBe(false);
    expect(page).toEqual({ items: [{ id: 1, digest }], total: 31 });
  });

  it('searches by part of a tag, dropping what could break Harbor\'s q', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listArtifacts('demo', 'app', { page: 1, pageSize: 15, search: 'v1,media_type=x' });
    expect(server.lastUrl().searchParams.get('q')).toBe('tags=~v1media_typex');
    await listArtifacts('demo', 'app', { page: 1, pageSize: 15, search: ' ,{} ' });
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('reads one artifact, its build history and its layers by reference', async () => {
    server.answer = jsonAnswer({ id: 4, digest });
    await getArtifact('demo', 'team/app', digest);
    expect(server.lastUrl().pathname).toBe(`/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/${encodeURIComponent(digest)}`);
    expect(server.lastUrl().searchParams.get('with_tag')).toBe('true');

    server.answer = jsonAnswer([{ created: '2026-01-01T00:00:00Z', created_by: 'COPY a /' }]);
    expect(await buildHistory('demo', 'team/app', 'v1')).toEqual([{ created: '2026-01-01T00:00:00Z', created_by: 'COPY a /' }]);
    expect(raw()).toBe('/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/v1/additions/build_history');

    server.answer = jsonAnswer([{ media_type: 'm', digest, size: 10 }]);
    expect(await listLayers('demo', 'team/app', 'v1')).toEqual([{ media_type: 'm', digest, size: 10 }]);
    expect(raw()).toBe('/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/v1/additions/layers');
  });

  it('adds a tag with Harbor\'s body and the CSRF echo, and removes tags and artifacts with DELETE', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await addTag('demo', 'team/app', digest, 'v2');
    const add = server.calls[0]!;
    expect(add.url).toBe(`/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/${encodeURIComponent(digest)}/tags`);
    expect(add.init.method).toBe('POST');
    expect(add.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ name: 'v2' });

    await deleteTag('demo', 'team/app', digest, 'v2');
    expect(server.calls[1]!.init.method).toBe('DELETE');
    expect(server.calls[1]!.url).toBe(`/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/${encodeURIComponent(digest)}/tags/v2`);

    await deleteArtifact('demo', 'team/app', digest);
    expect(server.calls[2]!.init.method).toBe('DELETE');
    expect(server.calls[2]!.url).toBe(`/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/${encodeURIComponent(digest)}`);
    expect(server.calls[2]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
  });

  it('keeps a hostile reference, repository or tag to its own path segment: a route\'s `..` cannot address the repository or project', async () => {
    await deleteArtifact('demo', '..', '..');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/demo/repositories/%252E%252E/artifacts/%252E%252E');
    await deleteTag('demo', 'app', 'v1', '.');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/demo/repositories/app/artifacts/v1/tags/%252E');
    server.answer = jsonAnswer({ id: 4, digest });
    await getArtifact('demo', 'team/app', 'a%2F..');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/demo/repositories/team%252Fapp/artifacts/a%252F..');
  });

  it('gives a refusal in the server\'s words, and a bare status never as the body', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'CONFLICT', message: 'the tag v2 already exists in demo/team/app' }] }, { status: 409 });
    const conflict = await addTag('demo', 'team/app', digest, 'v2').catch((e: unknown) => e);
    expect(errorText(conflict, (key) => key)).toBe('the tag v2 already exists in demo/team/app');

    server.answer = () => new Response('<html>gateway</html>', { status: 502 });
    const gateway = await listArtifacts('demo', 'app', { page: 1, pageSize: 15 }).catch((e: unknown) => e);
    expect(errorText(gateway, (key, vars) => `${key} ${vars?.status}`)).toBe('error.status.5xx 502');
  });

  it('writes pull commands by tag and by digest, and short digests', () => {
    expect(pullCommand('harbor.example:8443', 'demo', 'team/app', { tag: 'v1' })).toBe('docker pull harbor.example:8443/demo/team/app:v1');
    expect(pullCommand('harbor.example', 'demo', 'app', { digest })).toBe(`docker pull harbor.example/demo/app@${digest}`);
    expect(shortDigest(digest)).toBe('sha256:ab12ab12');
  });

  it('tells an index from an image, and names platforms', () => {
    const base = { id: 1, type: 'IMAGE', media_type: 'x', digest, size: 1, push_time: '', pull_time: '' };
    expect(isIndex({ ...base, manifest_media_type: 'application/vnd.oci.image.index.v1+json', references: [{ parent_id: 1, child_digest: digest }] })).toBe(true);
    expect(isIndex({ ...base, manifest_media_type: 'application/vnd.oci.image.manifest.v1+json', references: [] })).toBe(false);
    expect(platformText({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
    expect(platformText({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64');
  });

  it.each([
    ['v1.0', true],
    ['latest', true],
    ['_x', true],
    ['.x', false],
    ['-x', false],
    ['a b', false],
    ['', false],
    ['a'.repeat(129), false],
  ])('checks the tag name %j as %s', (name, valid) => {
    expect(tagNamePattern.test(name)).toBe(valid);
  });
});
