import { accountRefusal, changePassword, passwordProblem, signUp, validRealname, validUsername } from './account.api';
import { errorText } from './error-text';
import { ApiError } from './http';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';

/** The account calls against a stand-in `fetch` (what is sent, what refusals become), and the password rule. */
describe('portal account API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it("signs up with Harbor's UserCreationReq", async () => {
    server.answer = () => new Response(null, { status: 201 });
    await signUp({ username: 'ann', email: 'ann@example.com', realname: 'Ann Lee', password: 'Passw0rdX' });
    expect(server.calls).toHaveLength(1);
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users');
    expect(server.calls[0]!.init.method).toBe('POST');
    expect(server.calls[0]!.init.headers?.['Content-Type']).toBe('application/json');
    expect(server.lastBody()).toEqual({ username: 'ann', email: 'ann@example.com', realname: 'Ann Lee', password: 'Passw0rdX' });
  });

  it('changes a password with PasswordReq on the user, echoing the CSRF cookie', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await changePassword(7, 'Old1passw', 'New1passw');
    expect(server.lastUrl().pathname).toBe('/api/v2.0/users/7/password');
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ old_password: 'Old1passw', new_password: 'New1passw' });
  });

  it.each([
    [409, 'username ann is already used', 'usernameTaken'],
    [409, 'email ann@example.com is already used', 'emailTaken'],
    [403, 'the old password is incorrect', 'wrongOldPassword'],
    [400, 'the new password must differ from the old one', 'sameAsOld'],
    [401, 'unauthorized: self-registration is disabled', 'registrationOff'],
    [400, 'the email address is not valid', null],
    [403, 'CSRF token invalid', null],
  ])('reads a %i "%s" as %j', async (status, message, refusal) => {
    server.answer = jsonAnswer({ errors: [{ code: 'X', message }] }, { status });
    const err = await signUp({ username: 'ann', email: 'a@b.c', realname: 'A', password: 'Passw0rdX' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(accountRefusal(err)).toBe(refusal);
    // Whatever is not mapped still reaches the user in the server's words.
    expect(errorText(err, (key) => key)).toBe(message);
  });

  it('maps nothing that is not an API error', () => {
    expect(accountRefusal(new Error('username taken'))).toBeNull();
  });

  it.each([
    ['Passw0rd', null, 'Passw0rd'],
    ['128 characters', null, 'aB3' + 'x'.repeat(125)],
    ['129 characters', 'length', 'aB3' + 'x'.repeat(126)],
    ['Pass0rd', 'length', 'Pass0rd'],
    ['an empty one', 'length', ''],
    ['password1', 'mix', 'password1'],
    ['PASSWORD1', 'mix', 'PASSWORD1'],
    ['Password', 'mix', 'Password'],
    ['密码Passw0rd', null, '密码Passw0rd'],
  ])("checks %s against Harbor's password rule: %j", (_label, problem, password) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it.each([
    ['ann', true],
    ['ann.lee-2@corp', true],
    ['', false],
    ['ann lee', false],
    ['ann:lee', false],
    ['ann#1', false],
  ])('checks the username %j as %s', (name, valid) => {
    expect(validUsername(name)).toBe(valid);
  });

  it('refuses a username longer than 255 characters', () => {
    expect(validUsername('a'.repeat(255))).toBe(true);
    expect(validUsername('a'.repeat(256))).toBe(false);
  });

  it.each([
    ['Ann Lee', true],
    ['', false],
    ['Ann, Lee', false],
  ])('checks the real name %j as %s', (name, valid) => {
    expect(validRealname(name)).toBe(valid);
  });
});
