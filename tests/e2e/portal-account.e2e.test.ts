import { randomBytes } from 'node:crypto';
import { Page } from 'playwright-core';
import { HarborApi } from '../support/harbor-api';
import { expectNoSidewaysScroll, openPortalBrowser, PortalBrowser, signInThroughPortal, signOutThroughPortal, switchLanguage } from '../support/portal-browser';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

/**
 * The portal's account pages in Debian's headless Chromium (`pnpm build`
 * first). With self-registration on: the sign-in page says accounts are
 * Harbor's own and offers sign-up; a visitor signs up through the page (each
 * rule said as it is typed, a taken username and a taken email refused in
 * words), lands on sign-in with the name filled in, signs in, changes the
 * password from the account menu (a wrong current password refused in
 * words), is sent to sign-in and back to the page when the session lapses,
 * signs out, and only the new password works afterwards. The
 * sign-up page speaks Chinese, and neither page scrolls sideways at 390px.
 * Once an administrator turns self-registration off (PUT /configurations):
 * no sign-up link, and the sign-up page says it is closed.
 */
describe('portal account pages in a real browser', () => {
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');
  const username = `ann-${suffix}`;
  const email = `ann-${suffix}@example.test`;
  const takenEmail = `taken-${suffix}@example.test`;
  const firstPassword = `Start${suffix}9`;
  const secondPassword = `Next${suffix}7X`;
  const shot = (name: string) => browser.shot(name);

  async function signInAs(password: string): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0/users/current`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
  }

  beforeAll(async () => {
    suite = await startSuite({ self_registration: 'on' });
    // Someone already holds this email, so sign-up must refuse it.
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    await api.createUser(`taken-${suffix}`, firstPassword);
    browser = await openPortalBrowser({ prefix: 'account' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('says sign-in uses Harbor accounts and offers sign-up', async () => {
    await page.goto(`${suite.url}/account/sign-in`);
    const hint = page.getByTestId('auth-mode-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toBe('Sign in with your Harbor account.');
    expect(await hint.getAttribute('data-auth-mode')).toBe('db_auth');
    await shot('01-sign-in-with-sign-up');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(`${suite.url}/account/sign-up`);
    await page.getByText('Create a Harbor account').waitFor();
  });

  it('checks every sign-up rule as it is typed', async () => {
    const error = (text: string) => page.locator('.ant-form-item-explain-error', { hasText: text });
    await page.getByLabel('Username').fill('ann lee');
    await error('without spaces').waitFor();
    await page.getByLabel('Email').fill('ann-at-example');
    await error('Enter an email address such as').waitFor();
    await page.getByLabel('Full name').fill('Ann, Lee');
    await error('without any of').waitFor();
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('Ab1');
    await error('Use 8 to 128 characters').waitFor();
    await password.fill('password1');
    await error('one upper-case letter, one lower-case letter and one digit').waitFor();
    await page.getByLabel('Confirm password').fill('password2');
    await error('The two passwords differ').waitFor();
    await shot('02-sign-up-rules');

    // Fixing each field clears its message.
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Full name').fill('Ann Lee');
    await password.fill(firstPassword);
    await page.getByLabel('Confirm password').fill(firstPassword);
    await page.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
    expect(await page.locator('.ant-form-item-explain-error').count()).toBe(0);
  });

  it('refuses a taken username and a taken email in words', async () => {
    await page.getByRole('button', { name: 'Sign up' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'taken' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('The username admin is already taken. Choose another one.');
    await shot('03-username-taken');

    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(takenEmail);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').filter({ hasText: `The email address ${takenEmail} already belongs to another account.` }).waitFor();
    await shot('04-email-taken');
  });

  it('creates the account and goes back to sign-in with the name filled in', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${suite.url}/account/sign-in`);
    const done = page.getByTestId('signed-up');
    await done.waitFor();
    expect(await done.innerText()).toContain(`Account ${username} created.`);
    expect(await page.getByLabel('Username').inputValue()).toBe(username);
    await shot('05-signed-up');

    const created = (await (await signInAs(firstPassword)).json()) as { username: string; email: string; realname: string; sysadmin_flag: boolean };
    expect(created).toMatchObject({ username, email, realname: 'Ann Lee', sysadmin_flag: false });
  });

  it('signs the new user in', async () => {
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects`);
    await page.getByTestId('current-user').getByText(username).waitFor();
    await shot('06-signed-in');
  });

  it('changes the password from the account menu, refusing a wrong current one in words', async () => {
    await page.getByTestId('current-user').click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Current password').fill('Wrong-passw0rd');
    const newPassword = dialog.getByLabel('New password', { exact: true });
    await newPassword.fill('short1A');
    await dialog.getByText('Use 8 to 128 characters').waitFor();
    await newPassword.fill(secondPassword);
    await dialog.getByLabel('Confirm new password').fill(secondPassword);
    await dialog.getByText('Use 8 to 128 characters').waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor();
    await shot('07-wrong-current-password');
    expect((await signInAs(firstPassword)).status).toBe(200);

    await dialog.getByLabel('Current password').fill(firstPassword);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Use the new one the next time you sign in.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await shot('08-password-changed');
    expect((await signInAs(secondPassword)).status).toBe(200);
    expect((await signInAs(firstPassword)).status).toBe(401);
  });

  it('sends the user to sign in when the session lapses, and back to the page they went to', async () => {
    // The session ends behind the page's back (as after idle minutes); the browser's cookie jar is shared.
    expect((await page.request.get(`${suite.url}/c/log_out`)).status()).toBe(200);
    await page.getByRole('link', { name: 'About' }).click();
    await page.waitForURL(`${suite.url}/account/sign-in?redirect=${encodeURIComponent('/harbor/about')}`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(secondPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${suite.url}/harbor/about`);
    await page.getByTestId('current-user').getByText(username).waitFor();
    await shot('09-back-after-expiry');
  });

  it('signs out, refuses the old password and takes the new one', async () => {
    await signOutThroughPortal(page);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The refusal, not the toast that may still say the password changed.
    await page.locator('.ant-alert-error', { hasText: 'Wrong username or password.' }).waitFor();
    expect(page.url()).toContain('/account/sign-in');
    await shot('10-old-password-refused');
    await signInThroughPortal(page, suite.url, username, secondPassword);
    await shot('11-new-password-works');
    await signOutThroughPortal(page);
  });

  it('shows the sign-up page in Chinese, rules included, and a refused sign-in in Chinese', async () => {
    await page.goto(`${suite.url}/account/sign-up`);
    await page.getByText('Create a Harbor account').waitFor();
    await switchLanguage(page, '简体中文');
    await page.getByText('注册 Harbor 账号').waitFor();
    await page.getByLabel('用户名').waitFor();
    await page.getByLabel('确认密码').waitFor();
    await page.getByLabel('密码', { exact: true }).fill('password1');
    await page.locator('.ant-form-item-explain-error', { hasText: '至少包含一个大写字母、一个小写字母和一个数字' }).waitFor();
    expect(await page.getByRole('button', { name: '注册' }).count()).toBe(1);
    await shot('12-sign-up-chinese');

    await page.getByRole('link', { name: '返回登录' }).click();
    await page.waitForURL(`${suite.url}/account/sign-in`);
    expect(await page.getByTestId('auth-mode-hint').innerText()).toBe('使用 Harbor 账号登录。');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Wrong-passw0rd');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.ant-alert-error', { hasText: '用户名或密码错误。' }).waitFor();
    await shot('12b-sign-in-refused-chinese');
    await switchLanguage(page, 'English');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('never scrolls sideways at 390px on sign-in and sign-up', async () => {
    await page.goto(`${suite.url}/account/sign-in`);
    await page.getByRole('link', { name: 'Sign up' }).waitFor();
    await expectNoSidewaysScroll(page);
    await shot('13-sign-in-narrow');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Confirm password').waitFor();
    // Rule messages are the longest lines: they must wrap too.
    await page.getByLabel('Username').fill('a b');
    await page.getByLabel('Password', { exact: true }).fill('password1');
    await page.locator('.ant-form-item-explain-error').nth(1).waitFor();
    await expectNoSidewaysScroll(page);
    await shot('14-sign-up-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('offers no sign-up once an administrator turns self-registration off, and the sign-up page says it is closed', async () => {
    const admin = `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}`;
    const put = await fetch(`${suite.url}/api/v2.0/configurations`, {
      method: 'PUT',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ self_registration: false }),
    });
    expect(put.status).toBe(200);
    // The setting is read through a short cache: wait until the server says it is off.
    const deadline = Date.now() + 30_000;
    let info = { self_registration: true };
    while (info.self_registration && Date.now() < deadline) {
      info = (await (await fetch(`${suite.url}/api/v2.0/systeminfo`)).json()) as { self_registration: boolean };
      if (info.self_registration) await new Promise((done) => setTimeout(done, 250));
    }
    expect(info.self_registration).toBe(false);

    await page.goto(`${suite.url}/account/sign-in`);
    await page.getByTestId('auth-mode-hint').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('link', { name: 'Sign up' }).count()).toBe(0);
    await shot('15-no-sign-up');

    await page.goto(`${suite.url}/account/sign-up`);
    const notice = page.getByTestId('sign-up-closed');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Self-registration is turned off on this Harbor. Ask an administrator for an account.');
    expect(await page.getByLabel('Username').count()).toBe(0);
    await shot('16-sign-up-closed');
    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.waitForURL(`${suite.url}/account/sign-in`);

    // The page only reflects the server, which refuses anonymous creation itself.
    const res = await fetch(`${suite.url}/api/v2.0/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `late-${suffix}`, email: `late-${suffix}@example.test`, realname: 'Late', password: firstPassword }),
    });
    expect(res.status).toBe(401);
  });
});
