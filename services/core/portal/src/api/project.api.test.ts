import { ApiError } from './http';
import { createProject, listProjects, validProjectName } from './project.api';
import { errorText } from './error-text';
import { fetchStandIn } from './fetch-stand-in';

/** The API client against a stand-in `fetch`: what it sends, and what it makes of the answers. */
describe('portal API client', () => {
  const server = fetchStandIn();
  const calls = server.calls;
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    calls.length = 0;
  });

  it('asks the API for one page with the name filter, and reads the total from X-Total-Count', async () => {
    server.answer = () => new Response(JSON.stringify([{ project_id: 3, name: 'web' }]), { headers: { 'X-Total-Count': '41' } });
    const page = await listProjects({ page: 3, pageSize: 15, name: 'we' });
    const url = new URL(calls[0]!.url, 'http://portal');
    expect(url.pathname).toBe('/api/v2.0/projects');
    expect(url.searchParams.get('page')).toBe('3');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('q')).toBe('name=~we');
    expect(page).toEqual({ items: [{ project_id: 3, name: 'web' }], total: 41 });
  });

  it('echoes the __csrf cookie on a write and sends Harbor\'s ProjectReq', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createProject({ name: 'web', public: false });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(JSON.parse(calls[0]!.init.body!)).toEqual({ project_name: 'web', metadata: { public: 'false' } });
  });

  it('turns Harbor\'s error envelope into words', async () => {
    server.answer = () => new Response(JSON.stringify({ errors: [{ code: 'CONFLICT', message: 'the project named web already exists' }] }), { status: 409 });
    const err = await createProject({ name: 'web', public: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(errorText(err, (key) => key)).toBe('the project named web already exists');
  });

  it('never shows a body that is not the envelope', async () => {
    server.answer = () => new Response('<html>bad gateway</html>', { status: 502 });
    const err = await listProjects({ page: 1, pageSize: 15 }).catch((e: unknown) => e);
    expect(errorText(err, (key, vars) => `${key} ${vars?.status}`)).toBe('error.unexpected 502');
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
