import { randomBytes } from 'node:crypto';
import { Page } from 'playwright-core';
import { expectNoSidewaysScroll, openPortalBrowser, PortalBrowser, signOutThroughPortal, switchLanguage } from '../support/portal-browser';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

/**
 * The portal in Debian's headless Chromium, against the whole suite through
 * the proxy (`pnpm build` first: it builds the portal that prepare points
 * core at). The steps run in order in one browser, each leaving a
 * screenshot under tests/artifacts/portal/.
 */
describe('web portal in a real browser', () => {
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  const project = `portal-e2e-${randomBytes(3).toString('hex')}`;
  const shot = (name: string) => browser.shot(name);
  const row = (name: string) => browser.row(name);

  async function adminGet(path: string): Promise<Response> {
    return fetch(`${suite.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}` } });
  }

  beforeAll(async () => {
    suite = await startSuite();
    browser = await openPortalBrowser({ prefix: 'basics' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('sends a signed-out visitor to sign in, then back to the projects, where library is listed as public', async () => {
    await page.goto(`${suite.url}/harbor/projects`);
    await page.waitForURL(/\/account\/sign-in\?redirect=/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).not.toMatch(/[{}]/);
    await shot('01-sign-in-refused');

    await page.getByLabel('Password').fill(suite.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects`);
    await page.getByTestId('current-user').getByText('admin').waitFor();
    await row('library').waitFor();
    expect(await row('library').getByTestId('access-badge').innerText()).toBe('Public');
    await shot('02-projects');
  });

  it('checks the project name as it is typed and creates a private project', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog');
    const name = dialog.getByLabel('Project name');
    await name.fill('Bad_Name');
    await dialog.getByText('Lower-case letters and digits', { exact: false }).waitFor();
    await shot('03-name-rule');

    await name.fill('library');
    // The rule message collapses as the name becomes valid; clicking while the footer still moves can miss.
    await dialog.getByText('Lower-case letters and digits', { exact: false }).waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('the project named library already exists').waitFor();
    await shot('04-duplicate-in-words');

    await name.fill(project);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await row(project).waitFor();
    expect(await row(project).getByTestId('access-badge').innerText()).toBe('Private');
    await shot('05-created-private');

    const created = (await (await adminGet(`/api/v2.0/projects/${project}`)).json()) as { metadata: { public: string } };
    expect(created.metadata.public).toBe('false');
  });

  it('switches to Chinese and shows Chinese labels', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('button', { name: '新建项目' }).waitFor();
    expect(await row(project).getByTestId('access-badge').innerText()).toBe('私有');
    expect(await page.getByRole('columnheader', { name: '访问级别' }).count()).toBe(1);
    await shot('06-chinese');
  });

  it('keeps a deep link, the search and the language across a reload', async () => {
    await page.goto(`${suite.url}/harbor/projects?q=${project}`);
    await row(project).waitFor();
    await page.reload();
    expect(page.url()).toBe(`${suite.url}/harbor/projects?q=${project}`);
    await row(project).waitFor();
    expect(await page.locator('tr.ant-table-row').count()).toBe(1);
    expect(await page.getByPlaceholder('按名称搜索项目').inputValue()).toBe(project);
    await page.getByRole('button', { name: '新建项目' }).waitFor();
    await shot('07-deep-link-reloaded');

    // A narrow window: the table scrolls inside itself, the page never sideways.
    await expectNoSidewaysScroll(page);
    await row(project).waitFor();
    await shot('07b-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    const info = (await (await fetch(`${suite.url}/api/v2.0/systeminfo`)).json()) as { harbor_version: string };
    await page.goto(`${suite.url}/harbor/about`);
    await page.reload();
    expect(await page.getByTestId('harbor-version').innerText()).toBe(info.harbor_version);
    await page.getByText('关于 Harbor').waitFor();
    await shot('08-about');
  });

  it('sends the user to sign in when the session lapses, and back to the page they went to', async () => {
    // The session ends behind the page's back (as after 30 idle minutes); the browser's cookie jar is shared.
    expect((await page.request.get(`${suite.url}/c/log_out`)).status()).toBe(200);
    expect(page.url()).toBe(`${suite.url}/harbor/about`);
    await page.getByRole('link', { name: '项目' }).click();
    await page.waitForURL(`${suite.url}/account/sign-in?redirect=${encodeURIComponent('/harbor/projects')}`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(suite.adminPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects`);
    await row(project).waitFor();
    await shot('09-back-after-expiry');
  });

  it('signs out, and the session is gone', async () => {
    await signOutThroughPortal(page, '退出登录');
    await page.getByRole('button', { name: '登录' }).waitFor();
    await shot('10-signed-out');

    await page.goto(`${suite.url}/harbor/projects`);
    await page.waitForURL(/\/account\/sign-in\?redirect=/);
    const current = await page.request.get(`${suite.url}/api/v2.0/users/current`);
    expect(current.status()).toBe(401);
  });
});
