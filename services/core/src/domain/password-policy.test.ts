import { passwordProblem } from './password-policy';
import { emailProblem, projectNameProblem, usernameProblem } from './names';

describe("Harbor's password rule", () => {
  it.each(['Passw0rd', 'Harbor12345', `Aa1${'x'.repeat(125)}`])('accepts %s', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it.each([
    ['too short', 'Pa55wor'],
    ['too long', `Aa1${'x'.repeat(126)}`],
    ['no upper case', 'passw0rd'],
    ['no lower case', 'PASSW0RD'],
    ['no digit', 'Password'],
    ['empty', ''],
  ])('refuses a password that is %s', (_why, password) => {
    expect(passwordProblem(password)).toMatch(/password/);
  });
});

describe('names', () => {
  it.each(['library', 'a', 'my-team', 'my.team_1', '0day'])('accepts the project name %s', (name) => {
    expect(projectNameProblem(name)).toBeNull();
  });

  it.each(['', 'Library', 'a--b', '-a', 'a-', 'a b', "x'; DROP TABLE project;--", '../etc', 'a/b', 'x'.repeat(256)])(
    'refuses the project name %j',
    (name) => {
      expect(projectNameProblem(name)).not.toBeNull();
    },
  );

  it.each(['alice', 'bob.smith', 'user@corp'])('accepts the username %s', (name) => expect(usernameProblem(name)).toBeNull());
  it.each(['', 'a,b', 'a:b', 'a b', 'a$b', 'x\ny', 'x'.repeat(256)])('refuses the username %j', (name) => {
    expect(usernameProblem(name)).not.toBeNull();
  });

  it('checks email addresses loosely but refuses obvious garbage', () => {
    expect(emailProblem('alice@example.com')).toBeNull();
    expect(emailProblem('not-an-email')).not.toBeNull();
    expect(emailProblem('a@b')).not.toBeNull();
  });
});
