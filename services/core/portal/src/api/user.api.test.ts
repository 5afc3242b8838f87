import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { createUser, deleteUser, listUsers, passwordMisses, resetPassword, setSysadmin } from './user.api';

/** The users client against a stand-in `fetch`: what it sends, and what it makes of the answers. */
describe('users API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('asks for one page, searching by part of the username, and reads the total', async () => {
    server.answer = jsonAnswer([{ user_id: 7, username: 'alice' }], { total: 31 });
    const page = await listUsers({ page: 2, pageSize: 15, search: 'ali' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/users');
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('q')).toBe('username=~ali');
    expect(page).toEqual({ items: [{ user_id: 7, username: 'alice' }], total: 31 });
  });

  it('keeps a hostile search inside its own username term', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listUsers({ page: 1, pageSize: 15, search: '"al/../i,email=~x' });
    expect(server.lastUrl().searchParams.get('q')).toBe('username=~al/../iemail=~x');
  });

  it('sends no q when nothing is searched', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listUsers({ page: 1, pageSize: 15, search: '' });
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('creates a user with UserCreationReq, leaving out empty optional fields, with the CSRF echo', async () => {
    server.answer = () => new Response(null, { status: 201 });
    await createUser({ username: 'bob', password: 'Passw0rdX', email: ' bob@example.test ', realname: '', comment: '  ' });
    const call = server.calls[0]!;
    expect(call.init.method).toBe('POST');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users');
    expect(call.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ username: 'bob', password: 'Passw0rdX', email: 'bob@example.test' });
  });

  it('grants and revokes admin with sysadmin_flag', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await setSysadmin(7, true);
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users/7/sysadmin');
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.lastBody()).toEqual({ sysadmin_flag: true });
    await setSysadmin(7, false);
    expect(server.lastBody()).toEqual({ sysadmin_flag: false });
  });

  it('resets a password with new_password only, and deletes by id', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await resetPassword(9, 'N3wPassword');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users/9/password');
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.lastBody()).toEqual({ new_password: 'N3wPassword' });
    await deleteUser(9);
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users/9');
    expect(server.calls[1]!.init.method).toBe('DELETE');
  });

  it("shows the server's refusal in words", async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'FORBIDDEN', message: 'a user cannot delete themselves' }] }, { status: 403 });
    const err = await deleteUser(1).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('a user cannot delete themselves');
  });

  it.each([
    ['Passw0rd', []],
    ['short1A', ['length']],
    ['alllowercase1', ['upper']],
    ['ALLUPPERCASE1', ['lower']],
    ['NoDigitsHere', ['digit']],
    ['', ['length', 'upper', 'lower', 'digit']],
    [`A1${'a'.repeat(127)}`, ['length']],
  ])('names what the password %j still misses', (password, misses) => {
    expect(passwordMisses(password)).toEqual(misses);
  });
});
