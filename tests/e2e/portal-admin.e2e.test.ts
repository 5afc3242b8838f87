import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { freePorts, Slapd, startSlapd } from '@harbor/testkit';
import { ldapCfgFor } from '../support/ldap-cfg';
import { buildOciLayout } from '../support/oci-layout';
import { dialogsSettled, expectNoSidewaysScroll, openPortalBrowser, PortalBrowser, pickOption, signInThroughPortal, switchLanguage } from '../support/portal-browser';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

/**
 * The administration pages in Debian's headless Chromium (`pnpm build`
 * first), against the whole suite in db_auth with a real slapd configured
 * for groups and the LDAP test. As admin: create a user (the password rule
 * said as typed), make them administrator and take it back, reset their
 * password and sign in as them with the new one in a second browser, delete
 * them after a confirmation naming them; register an LDAP group by its DN;
 * find projects created and deleted through the API in the audit log,
 * filtered by operation; turn self-registration on (seen in /systeminfo) and
 * restrict project creation to admins (a non-admin's POST /projects is then
 * refused); test the LDAP connection with the form's values (success, then
 * a wrong URL's failure in words); create a system robot over one project
 * with pull permission, copy its secret from the shown-once dialog and pull
 * with skopeo as the robot. Last, the pages in Chinese, and neither the users
 * page nor the robot accounts page scrolls sideways at 390px. Screenshots in
 * tests/artifacts/portal/admin-*.png.
 */
describe('portal administration pages in a real browser', () => {
  let slapd: Slapd;
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');
  const username = `olga-${suffix}`;
  const firstPassword = `First${suffix}7`;
  const newPassword = `Reset${suffix}9X`;
  const plainUser = `pat-${suffix}`;
  const plainPassword = `Plain${suffix}5`;
  const auditProject = `audit-${suffix}`;
  const goneProject = `gone-${suffix}`;
  const robotProject = `robo-${suffix}`;
  const robotName = `ci-${suffix}`;
  const shot = (name: string) => browser.shot(name);
  const row = (text: string) => browser.row(text);

  async function api(method: string, path: string, body?: unknown, auth = `admin:${suite.adminPassword}`): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function userNamed(name: string): Promise<{ user_id: number; sysadmin_flag: boolean } | undefined> {
    const res = await api('GET', `/users?q=${encodeURIComponent(`username=${name}`)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { user_id: number; sysadmin_flag: boolean }[])[0];
  }

  /** Waits until `check` holds (settings are read through a short cache), failing with the last value seen. */
  async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T = await read();
    while (!check(last)) {
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await read();
    }
    return last;
  }

  /** Picks `option` in the antd Select labelled `label`. */
  async function choose(label: string, option: string): Promise<void> {
    await pickOption(page, page.getByLabel(label, { exact: true }), option);
  }

  async function toast(text: string): Promise<void> {
    await page.locator('.ant-message-notice', { hasText: text }).first().waitFor();
  }

  beforeAll(async () => {
    slapd = await startSlapd({ users: [{ uid: 'dirdev', password: 'Dir-pass-1', cn: 'Directory Developer' }], groups: [{ cn: 'developers', members: ['dirdev'] }] });
    // db_auth (users are created here) with a directory configured: groups and the LDAP test use it.
    suite = await startSuite({ ...ldapCfgFor(slapd), auth_mode: 'db_auth' });
    browser = await openPortalBrowser({ prefix: 'admin' });
    page = browser.page;
    await signInThroughPortal(page, suite.url, 'admin', suite.adminPassword);
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
    await slapd?.close();
  });

  it('creates a user, saying the password rule as it is typed', async () => {
    await page.goto(`${suite.url}/harbor/users`);
    await row('admin').waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Username').fill(username);
    await dialog.getByLabel('Email').fill(`${username}@example.test`);
    await dialog.getByLabel('Full name').fill('Olga Admin-Test');
    await dialog.getByLabel('Password', { exact: true }).fill('short');
    const rules = dialog.getByTestId('password-rules');
    await rules.getByText('8 to 128 characters').waitFor();
    expect(await rules.getByText('8 to 128 characters').getAttribute('data-met')).toBe('false');
    expect(await rules.getByText('at least one capital letter').getAttribute('data-met')).toBe('false');
    expect(await rules.getByText('at least one small letter').getAttribute('data-met')).toBe('true');
    await shot('01-new-user-rules');

    await dialog.getByLabel('Password', { exact: true }).fill(firstPassword);
    await rules.locator('[data-met="false"]').first().waitFor({ state: 'detached' });
    await dialog.getByLabel('Repeat the password').fill(firstPassword);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByLabel('Search users by name').fill(username);
    await page.getByLabel('Search users by name').press('Enter');
    await page.waitForURL(new RegExp(`q=${username}`));
    await row(username).waitFor();
    expect(await row(username).getByTestId('admin-flag').innerText()).toBe('No');
    await shot('02-user-created');
    expect(await userNamed(username)).toMatchObject({ sysadmin_flag: false });
  });

  it('grants and revokes administrator, and refuses actions on your own account', async () => {
    await row(username).getByRole('button', { name: 'Make administrator' }).click();
    await eventually('the admin flag in the row', () => row(username).getByTestId('admin-flag').innerText(), (text) => text === 'Yes');
    expect(await userNamed(username)).toMatchObject({ sysadmin_flag: true });
    await shot('03-granted');

    await row(username).getByRole('button', { name: 'Remove administrator' }).click();
    await eventually('the admin flag in the row', () => row(username).getByTestId('admin-flag').innerText(), (text) => text === 'No');
    expect(await userNamed(username)).toMatchObject({ sysadmin_flag: false });

    await page.goto(`${suite.url}/harbor/users?q=admin`);
    const me = row('admin');
    await me.waitFor();
    expect(await me.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    expect(await me.getByRole('button', { name: 'Remove administrator' }).isDisabled()).toBe(true);
    expect(await me.getByRole('button', { name: 'Reset password' }).isDisabled()).toBe(true);
    await shot('04-own-row-disabled');
  });

  it("resets the user's password; they sign in with the new one only", async () => {
    await page.goto(`${suite.url}/harbor/users?q=${username}`);
    await row(username).getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog', { name: `New password for ${username}` });
    await dialog.getByLabel('New password').fill(newPassword);
    await dialog.getByLabel('Repeat the password').fill(`${newPassword}-typo`);
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.getByText('The two passwords differ').waitFor();
    await dialog.getByLabel('Repeat the password').fill(newPassword);
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await toast(`The password of ${username} was changed`);
    await shot('05-password-reset');

    expect((await api('GET', '/users/current', undefined, `${username}:${firstPassword}`)).status).toBe(401);
    const second = await openPortalBrowser({ prefix: 'admin-as-user' });
    try {
      await signInThroughPortal(second.page, suite.url, username, newPassword);
      await second.shot('06-signed-in-with-new-password');
    } finally {
      await second.close();
    }
  });

  it('deletes the user after a confirmation that names them', async () => {
    await row(username).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: `Delete ${username}?` });
    await confirm.waitFor();
    // A confirmation still zooming in can lose the click (seen once in the portal scenario).
    await dialogsSettled(page);
    await shot('07-delete-confirmation');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await row(username).waitFor({ state: 'detached' });
    await page.getByText('No user name matches this search').waitFor();
    expect(await userNamed(username)).toBeUndefined();
  });

  it('registers an LDAP group by its DN', async () => {
    await page.goto(`${suite.url}/harbor/groups`);
    await page.getByText('No user groups yet').waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user group' });
    await dialog.getByLabel('LDAP group DN').fill(`cn=nobody-${suffix},${slapd.groupsDn}`);
    await dialog.getByRole('button', { name: 'Create' }).click();
    // The directory has no such group: refused in the server's words, not JSON.
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/not found in the directory/);
    expect(await refusal.innerText()).not.toMatch(/[{}]/);
    await dialog.getByLabel('LDAP group DN').fill(slapd.groupDn('developers'));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row('developers').waitFor();
    expect(await row('developers').getByText('LDAP', { exact: true }).count()).toBe(1);
    await shot('08-group-created');
    const groups = (await (await api('GET', '/usergroups')).json()) as { group_name: string; group_type: number }[];
    expect(groups).toEqual([expect.objectContaining({ group_name: 'developers', group_type: 1 })]);
  });

  it('shows audit entries for projects made through the API, filtered by operation', async () => {
    expect((await api('POST', '/projects', { project_name: auditProject, metadata: { public: 'false' } })).status).toBe(201);
    expect((await api('POST', '/projects', { project_name: goneProject, metadata: { public: 'false' } })).status).toBe(201);
    expect((await api('DELETE', `/projects/${goneProject}`)).status).toBe(200);

    await page.goto(`${suite.url}/harbor/logs`);
    await row(auditProject).waitFor();
    await page.getByLabel('Resource', { exact: true }).fill(suffix);
    await choose('Operation', 'delete');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/operation=delete/);
    // The old rows stay until the filtered page arrives: wait for the list to be the filtered one.
    await row(auditProject).waitFor({ state: 'detached' });
    await eventually('the operations listed', () => page.getByTestId('audit-operation').allInnerTexts(), (ops) => ops.join() === 'delete');
    await row(goneProject).waitFor();
    await shot('09-audit-deletes');

    await choose('Operation', 'create');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/operation=create/);
    await eventually('the operations listed', () => page.getByTestId('audit-operation').allInnerTexts(), (ops) => ops.join() === 'create,create');
    await row(auditProject).waitFor();
    await row(goneProject).waitFor();
    expect(await row(auditProject).getByRole('cell', { name: 'admin', exact: true }).count()).toBe(1);
    await shot('10-audit-creates');
  });

  it('turns self-registration on, seen in /systeminfo', async () => {
    await page.goto(`${suite.url}/harbor/configs`);
    const selfRegistration = page.getByLabel('Self-registration');
    await selfRegistration.waitFor();
    expect(await selfRegistration.getAttribute('aria-checked')).toBe('false');
    const save = page.getByRole('button', { name: 'Save' });
    expect(await save.isDisabled()).toBe(true);
    await selfRegistration.click();
    await save.click();
    await toast('Configuration saved');
    // Saved means reloaded: nothing is left to save.
    await eventually('the Save button', () => save.isDisabled(), (disabled) => disabled);
    await shot('11-self-registration-on');
    await eventually(
      'systeminfo self_registration',
      async () => ((await (await fetch(`${suite.url}/api/v2.0/systeminfo`)).json()) as { self_registration?: boolean }).self_registration,
      (value) => value === true,
    );
  });

  it("restricts project creation to admins, and a non-admin's POST /projects is refused", async () => {
    expect((await api('POST', '/users', { username: plainUser, password: plainPassword, email: `${plainUser}@example.test`, realname: 'Pat' })).status).toBe(201);
    await choose('Who may create projects', 'Administrators only');
    const save = page.getByRole('button', { name: 'Save' });
    await save.click();
    await eventually('the Save button', () => save.isDisabled(), (disabled) => disabled);
    await shot('12-admin-only-projects');
    const config = (await (await api('GET', '/configurations')).json()) as { project_creation_restriction: { value: string } };
    expect(config.project_creation_restriction.value).toBe('adminonly');
    let attempt = 0;
    const status = await eventually(
      'a non-admin creating a project',
      async () => (await api('POST', '/projects', { project_name: `pat-${suffix}-${attempt++}`, metadata: { public: 'false' } }, `${plainUser}:${plainPassword}`)).status,
      (code) => code === 403,
    );
    expect(status).toBe(403);
  });

  it('tests the LDAP connection with the values in the form: success, then a wrong URL in words', async () => {
    // Users other than admin exist now, so (as in Harbor) the mode is fixed, and says so.
    await page.reload();
    await page.getByLabel('LDAP URL').waitFor();
    expect(await page.getByLabel('Authentication mode', { exact: true }).isDisabled()).toBe(true);
    await page.getByText('the mode can only change while admin is the only user').waitFor();
    const url = page.getByLabel('LDAP URL');
    await url.waitFor();
    expect(await url.inputValue()).toBe(slapd.url);
    expect(await page.getByLabel('Search password').getAttribute('placeholder')).toBe('Stored (type to replace it)');
    await page.getByRole('button', { name: 'Test LDAP connection' }).click();
    const result = page.getByTestId('ldap-ping-result');
    await result.getByText('Connected: the LDAP server accepted these settings.').waitFor();
    await shot('13-ldap-ok');

    const [closed] = await freePorts(1);
    await url.fill(`ldap://127.0.0.1:${closed}`);
    await page.getByRole('button', { name: 'Test LDAP connection' }).click();
    await result.getByText('The LDAP server could not be used with these settings').waitFor();
    const reason = await result.locator('.ant-alert-description').innerText();
    expect(reason.trim().length).toBeGreaterThan(3);
    expect(reason).not.toMatch(/[{}]/);
    await shot('14-ldap-wrong-url');

    // The test saved nothing: the stored URL is still the working one.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await url.inputValue()).toBe(slapd.url);
    expect(((await (await api('GET', '/configurations')).json()) as { ldap_url: { value: string } }).ldap_url.value).toBe(slapd.url);
  });

  it('creates a system robot over a project with pull permission; skopeo pulls with the copied secret', async () => {
    expect((await api('POST', '/projects', { project_name: robotProject, metadata: { public: 'false' } })).status).toBe(201);
    const image = buildOciLayout(join(suite.dir, 'robot-image'), '1');
    const ref = `docker://${suite.host}/${robotProject}/hello:1`;
    ok(
      await run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', `admin:${suite.adminPassword}`, `oci:${image.dir}:1`, ref], { timeoutMs: 120_000 }),
      'skopeo push as admin',
    );

    await page.goto(`${suite.url}/harbor/robot-accounts`);
    await page.getByRole('button', { name: 'New robot account' }).click();
    const dialog = page.getByRole('dialog', { name: 'New robot account' });
    await dialog.waitFor();
    await dialogsSettled(page);
    await dialog.getByLabel('Name', { exact: true }).fill(robotName);
    // Picked until the select shows the project: a click on an option the search is still re-rendering can be lost
    // (seen once in CI: Create then stayed in the dialog, refused for want of a project).
    const chosen = dialog.locator('.ant-select-selection-item', { hasText: robotProject });
    for (let attempt = 1; !(await chosen.count()); attempt++) {
      await dialog.getByLabel('Projects').click();
      await dialog.getByLabel('Projects').fill(robotProject);
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: robotProject }).click();
      if (attempt >= 3) await chosen.waitFor({ timeout: 5_000 });
      else await chosen.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await dialog.getByLabel('Name', { exact: true }).click(); // closes the project list
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await shot('15-new-system-robot');
    await dialog.getByRole('button', { name: 'Create' }).click();

    const secretDialog = page.getByTestId('robot-secret-dialog');
    await secretDialog.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      const shown = await dialog.innerText({ timeout: 1_000 }).catch(() => '(no dialog)');
      throw new Error(`${err.message}\nthe robot dialog still shows: ${shown}`);
    });
    const login = await secretDialog.getByTestId('robot-login-name').innerText();
    const shown = await secretDialog.getByTestId('robot-secret').innerText();
    expect(login).toBe(`robot$${robotName}`);
    await secretDialog.getByTestId('copy-robot-secret').click();
    // Either answer, so a refused copy fails here in words rather than after the wait.
    const answer = page.locator('.ant-message-notice', { hasText: /^(Copied|Could not copy.*)$/ }).first();
    await answer.waitFor();
    expect(await answer.innerText()).toBe('Copied');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(shown);
    await shot('16-secret-shown-once');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await row(login).waitFor();

    const robot = (await (await api('GET', `/robots?q=${encodeURIComponent(`Level=system,name=${robotName}`)}`)).json()) as { permissions: unknown[] }[];
    expect(robot[0]!.permissions).toEqual([{ kind: 'project', namespace: robotProject, access: [{ resource: 'repository', action: 'pull', effect: 'allow' }] }]);

    const pulled = join(suite.dir, 'robot-pulled');
    ok(await run('skopeo', ['copy', '--src-tls-verify=false', '--src-creds', `${login}:${copied}`, ref, `oci:${pulled}:1`], { timeoutMs: 120_000 }), 'skopeo pull as the robot');
    const push = await run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', `${login}:${copied}`, `oci:${image.dir}:1`, `docker://${suite.host}/${robotProject}/other:1`], {
      timeoutMs: 120_000,
    });
    expect(push.code).not.toBe(0);
  });

  it('shows the pages in Chinese, and neither the robot accounts nor the users page scrolls sideways at 390px', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('button', { name: '新建机器人账户' }).waitFor();
    await page.getByText('系统机器人账号供脚本和持续集成').waitFor();
    await row(`robot$${robotName}`).waitFor();
    await shot('17-robots-chinese');
    await expectNoSidewaysScroll(page);
    await row(`robot$${robotName}`).waitFor();
    await shot('18-robots-chinese-390');

    await page.goto(`${suite.url}/harbor/users`);
    await page.getByRole('button', { name: '新建用户' }).waitFor();
    await row(plainUser).waitFor();
    expect(await page.getByRole('columnheader', { name: '管理员' }).count()).toBe(1);
    expect(await row(plainUser).getByRole('button', { name: '设为管理员' }).count()).toBe(1);
    await expectNoSidewaysScroll(page);
    await shot('19-users-chinese-390');

    await page.goto(`${suite.url}/harbor/configs`);
    await page.getByText('谁可以创建项目').waitFor();
    await expectNoSidewaysScroll(page);
    await shot('20-configuration-chinese-390');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
