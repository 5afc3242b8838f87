import { ApiError } from './http';
import {
  createProject,
  deleteProject,
  isProjectSort,
  listProjects,
  projectDeletable,
  projectSummary,
  storageLimitBytes,
  storageOf,
  validProjectName,
} from './project.api';
import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { mayCreateProjects, registryHost } from './systeminfo.api';

/** The projects API client against a stand-in `fetch`: what it sends, and what it makes of the answers. */
describe('portal projects API client', () => {
  const server = fetchStandIn();
  const calls = server.calls;
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    calls.length = 0;
  });

  it('asks the API for one page with the name filter and the sort, and reads the total from X-Total-Count', async () => {
    server.answer = jsonAnswer([{ project_id: 3, name: 'web' }], { total: 41 });
    const page = await listProjects({ page: 3, pageSize: 15, name: 'we', sort: '-creation_time' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/projects');
    expect(url.searchParams.get('page')).toBe('3');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('q')).toBe('name=~we');
    expect(url.searchParams.get('sort')).toBe('-creation_time');
    expect(page).toEqual({ items: [{ project_id: 3, name: 'web' }], total: 41 });
  });

  it('keeps a hostile search inside its own name term (commas, quotes, a leading bracket go; slashes and % stay)', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listProjects({ page: 1, pageSize: 15, name: '"../we%,public=true' });
    expect(server.lastUrl().searchParams.get('q')).toBe('name=~../we%public=true');
    await listProjects({ page: 1, pageSize: 15, name: '[1~9]' });
    expect(server.lastUrl().searchParams.get('q')).toBe('name=~1~9]');
    await listProjects({ page: 1, pageSize: 15, name: ',' });
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('sorts by name and sends no q when nothing is searched', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listProjects({ page: 1, pageSize: 15 });
    expect(server.lastUrl().searchParams.get('sort')).toBe('name');
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it.each([
    ['name', true],
    ['-creation_time', true],
    ['owner', false],
    [null, false],
  ])('takes %j from the URL as a sort: %s', (value, valid) => {
    expect(isProjectSort(value)).toBe(valid);
  });

  it('echoes the __csrf cookie on a write and sends Harbor\'s ProjectReq with the storage limit in bytes', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createProject({ name: 'web', public: false, storageLimit: storageLimitBytes(5, 'GiB')! });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ project_name: 'web', metadata: { public: 'false' }, storage_limit: 5 * 1024 ** 3 });
  });

  it('sends -1 for an unlimited project and leaves the limit out when none is chosen', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createProject({ name: 'web', public: true, storageLimit: -1 });
    expect(server.lastBody()).toEqual({ project_name: 'web', metadata: { public: 'true' }, storage_limit: -1 });
    await createProject({ name: 'web', public: true });
    expect(server.lastBody()).toEqual({ project_name: 'web', metadata: { public: 'true' } });
  });

  it.each([
    [1, 'MiB', 1024 ** 2],
    [10, 'GiB', 10 * 1024 ** 3],
    [2, 'TiB', 2 * 1024 ** 4],
    [0, 'GiB', null],
    [-3, 'GiB', null],
    [1.5, 'GiB', null],
    [null, 'GiB', null],
    [1e9, 'TiB', null],
  ] as const)('turns %j %s into %j bytes', (amount, unit, bytes) => {
    expect(storageLimitBytes(amount, unit)).toBe(bytes);
  });

  it('turns Harbor\'s error envelope into words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'CONFLICT', message: 'the project named web already exists' }] }, { status: 409 });
    const err = await createProject({ name: 'web', public: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(errorText(err, (key) => key)).toBe('the project named web already exists');
  });

  it('never shows a body that is not the envelope', async () => {
    server.answer = () => new Response('<html>bad gateway</html>', { status: 502 });
    const err = await listProjects({ page: 1, pageSize: 15 }).catch((e: unknown) => e);
    expect(errorText(err, (key, vars) => `${key} ${vars?.status}`)).toBe('error.status.5xx 502');
  });

  it('reads the summary\'s storage, and nothing when the quota is left out', async () => {
    server.answer = jsonAnswer({ repo_count: 2, quota: { hard: { storage: 1024 }, used: { storage: 512 } } });
    const summary = await projectSummary(7);
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/7/summary');
    expect(storageOf(summary)).toEqual({ used: 512, limit: 1024 });
    expect(storageOf({ repo_count: 0 })).toBeUndefined();
  });

  it('asks whether a project may go, and passes on the server\'s reason', async () => {
    server.answer = jsonAnswer({ deletable: false, message: 'the project web contains 2 repositories, it cannot be deleted' });
    expect(await projectDeletable(7)).toEqual({ deletable: false, message: 'the project web contains 2 repositories, it cannot be deleted' });
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/7/_deletable');
  });

  it('deletes by id with the CSRF echo, and a refusal reads as the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'PRECONDITION', message: 'the project web still contains repositories' }] }, { status: 412 });
    const err = await deleteProject(7).catch((e: unknown) => e);
    expect(calls[0]!.url).toBe('/api/v2.0/projects/7');
    expect(calls[0]!.init.method).toBe('DELETE');
    expect(calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(errorText(err, (key) => key)).toBe('the project web still contains repositories');
  });

  it.each([
    ['library', true],
    ['a.b-c_d9', true],
    ['Library', false],
    ['a..b', false],
    ['-a', false],
    ['a-', false],
    ['', false],
    ['a'.repeat(256), false],
  ])('checks the project name %j as %s', (name, valid) => {
    expect(validProjectName(name)).toBe(valid);
  });
});

describe('system information helpers', () => {
  it('takes the registry host from registry_url, else external_url, else the fallback', () => {
    expect(registryHost({ harbor_version: 'v', registry_url: 'reg.example:5000', external_url: 'https://other' }, 'here')).toBe('reg.example:5000');
    expect(registryHost({ harbor_version: 'v', external_url: 'https://harbor.example:8443/' }, 'here')).toBe('harbor.example:8443');
    expect(registryHost({ harbor_version: 'v', external_url: 'not a url' }, 'here')).toBe('here');
    expect(registryHost(null, 'here')).toBe('here');
  });

  it('lets admins always create projects, others only when the restriction is known and not adminonly', () => {
    expect(mayCreateProjects({ harbor_version: 'v', project_creation_restriction: 'adminonly' }, true)).toBe(true);
    expect(mayCreateProjects({ harbor_version: 'v', project_creation_restriction: 'adminonly' }, false)).toBe(false);
    expect(mayCreateProjects({ harbor_version: 'v', project_creation_restriction: 'everyone' }, false)).toBe(true);
    expect(mayCreateProjects(null, false)).toBe(false);
  });
});
