import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { searchGroups, searchUsers } from './user-search.api';

/** The people search behind "add member", against a stand-in `fetch`. */
describe('user and group search API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('searches users by part of the name, first page only', async () => {
    server.answer = jsonAnswer([{ user_id: 8, username: 'alice' }], { total: 1 });
    const page = await searchUsers(' al ');
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/users/search');
    expect(url.searchParams.get('username')).toBe('al');
    expect(url.searchParams.get('page')).toBe('1');
    expect(url.searchParams.get('page_size')).toBe('10');
    expect(page.items).toEqual([{ user_id: 8, username: 'alice' }]);
  });

  it('searches registered groups by groupname', async () => {
    server.answer = jsonAnswer([{ id: 5, group_name: 'ops', group_type: 1 }], { total: 1 });
    const page = await searchGroups('op', 5);
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/usergroups/search');
    expect(url.searchParams.get('groupname')).toBe('op');
    expect(url.searchParams.get('page_size')).toBe('5');
    expect(page.items[0]!.group_name).toBe('ops');
  });

  it('turns a refusal into words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'BAD_REQUEST', message: 'username is required' }] }, { status: 400 });
    const err = await searchUsers('x').catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('username is required');
  });
});
