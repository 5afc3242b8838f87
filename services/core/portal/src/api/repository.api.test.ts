import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { deleteRepository, getRepository, listRepositories, repositoryLink, repositoryPathSegment, shortName, updateRepositoryDescription } from './repository.api';

/** The repositories API client against a stand-in `fetch`: paths (Harbor's double encoding), paging, bodies, errors. */
describe('portal repositories API client', () => {
  const server = fetchStandIn();
  const calls = server.calls;
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    calls.length = 0;
  });

  it('lists one page of a project with the name filter, newest change first, and the total from X-Total-Count', async () => {
    server.answer = jsonAnswer([{ id: 1, name: 'web/app' }], { total: 23 });
    const page = await listRepositories('web', { page: 2, pageSize: 10, name: 'ap' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/projects/web/repositories');
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('page_size')).toBe('10');
    expect(url.searchParams.get('q')).toBe('name=~ap');
    expect(url.searchParams.get('sort')).toBe('-update_time');
    expect(page).toEqual({ items: [{ id: 1, name: 'web/app' }], total: 23 });
  });

  it('keeps a hostile search inside its own name term', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listRepositories('web', { page: 1, pageSize: 15, name: "team/a%p,project_id=1 '" });
    expect(server.lastUrl().searchParams.get('q')).toBe('name=~team/a%pproject_id=1');
  });

  it('sends no q without a search', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listRepositories('web', { page: 1, pageSize: 15 });
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('names a repository in API paths without its project, URL-encoded twice', () => {
    expect(shortName('web/team/app')).toBe('team/app');
    expect(repositoryPathSegment('web/team/app')).toBe('team%252Fapp');
    expect(repositoryPathSegment('web/app')).toBe('app');
    // Hostile names stay one segment: `%` is encoded, and a dot segment cannot climb to the project.
    expect(repositoryPathSegment('web/a%2Fb')).toBe('a%25252Fb');
    expect(repositoryPathSegment('web/..')).toBe('%252E%252E');
    expect(repositoryPathSegment('web/.')).toBe('%252E');
    expect(repositoryPathSegment('web/../x')).toBe('..%252Fx');
  });

  it('links to the portal\'s repository page with the short name in one encoded segment', () => {
    expect(repositoryLink(4, 'web/team/app')).toBe('/harbor/projects/4/repositories/team%2Fapp');
  });

  it('reads one repository by its double-encoded path', async () => {
    server.answer = jsonAnswer({ id: 1, name: 'web/team/app' });
    await getRepository('web', 'web/team/app');
    expect(calls[0]!.url).toBe('/api/v2.0/projects/web/repositories/team%252Fapp');
  });

  it('puts the description with the CSRF echo', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await updateRepositoryDescription('web', 'web/team/app', 'the front end');
    expect(calls[0]!.url).toBe('/api/v2.0/projects/web/repositories/team%252Fapp');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ description: 'the front end' });
  });

  it('deletes, and a refusal reads as the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'FORBIDDEN', message: 'forbidden: repository:delete' }] }, { status: 403 });
    const err = await deleteRepository('web', 'web/app').catch((e: unknown) => e);
    expect(calls[0]!.init.method).toBe('DELETE');
    expect(calls[0]!.url).toBe('/api/v2.0/projects/web/repositories/app');
    expect(errorText(err, (key) => key)).toBe('forbidden: repository:delete');
  });
});
