import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout } from '../support/oci-layout';
import { dialogsSettled, eventually, expectNoSidewaysScroll, openPortalBrowser, PortalBrowser, signInThroughPortal, pickOption, signOutThroughPortal, switchLanguage } from '../support/portal-browser';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

/**
 * The projects list and a project's tabs in Debian's headless Chromium,
 * against the whole suite through the proxy (`pnpm build` first). Proves: an
 * admin creates a project with a storage limit and sees it listed with its
 * badge, repository count and storage; search and sort live in the URL and
 * survive a reload; the summary charts the quota and counts members by role;
 * an image pushed with skopeo shows in the Repositories tab, where its
 * description is edited in place; the Logs tab filters the push and create
 * entries; the Configuration tab makes the project public and the list shows
 * it; with creation restricted to admins, a developer sees no "New project",
 * no delete buttons and a read-only configuration; deleting a project that holds repositories is refused in the server's
 * words while an empty one goes; the pages read in Chinese; at 390 px the
 * project page does not scroll sideways. A screenshot per step in
 * tests/artifacts/portal/project-*.png.
 */
describe('projects and a project\'s tabs in a real browser', () => {
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  const suffix = randomBytes(3).toString('hex');
  const full = `pa-${suffix}`; // gets a storage limit, an image, a description, goes public, is refused deletion
  const empty = `pb-${suffix}`; // stays empty and is deleted
  const repository = `${full}/hello`;
  let projectId = 0;
  let api: HarborApi;
  const developer = `dev${suffix}`;
  const developerPassword = `Dev1${randomBytes(6).toString('hex')}`;
  const shot = (name: string) => browser.shot(name);
  const row = (text: string) => browser.row(text);

  async function admin(path: string): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0${path}`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}` },
    });
  }

  async function adminJson<T>(path: string): Promise<T> {
    const res = await admin(path);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** The first column's text of every row on the page, in order. */
  const firstColumn = () => page.locator('tr.ant-table-row td:first-child').allInnerTexts();

  beforeAll(async () => {
    // Only system admins may create projects here: a developer must not be offered "New project".
    suite = await startSuite({ project_creation_restriction: 'adminonly' });
    api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    browser = await openPortalBrowser({ prefix: 'project' });
    page = browser.page;
    await signInThroughPortal(page, suite.url, 'admin', suite.adminPassword);
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('creates a project with a storage limit, listed with its badge, repository count and storage', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Project name').fill(full);
    await dialog.getByRole('checkbox', { name: 'Unlimited' }).uncheck();
    await dialog.getByLabel('Storage limit amount').fill('2');
    await dialogsSettled(page);
    await shot('01-create-with-limit');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const created = row(full);
    await created.waitFor();
    expect(await created.getByTestId('access-badge').innerText()).toBe('Private');
    expect(await created.getByTestId('repo-count').innerText()).toBe('0');
    expect(await created.getByTestId('storage-used').innerText()).toBe('0 B of 2.00 GiB');
    await shot('02-listed');

    const summary = await adminJson<{ quota: { hard: { storage: number } } }>(`/projects/${full}/summary`);
    expect(summary.quota.hard.storage).toBe(2 * 1024 ** 3);
  });

  it('searches and sorts through the URL, and both survive a reload', async () => {
    await api.createProject(empty, false);

    await page.getByLabel('Search projects by name').fill(suffix);
    await page.getByLabel('Search projects by name').press('Enter');
    await eventually(page, async () => expect(await firstColumn()).toEqual([full, empty]));

    await pickOption(page, page.getByRole('combobox', { name: 'Sort projects' }), 'Name, Z to A');
    await eventually(page, async () => expect(await firstColumn()).toEqual([empty, full]));
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe(suffix);
    expect(url.searchParams.get('sort')).toBe('-name');

    await page.reload();
    await eventually(page, async () => expect(await firstColumn()).toEqual([empty, full]));
    expect(await page.getByLabel('Search projects by name').inputValue()).toBe(suffix);
    expect(await page.getByTestId('project-sort').innerText()).toContain('Name, Z to A');
    await shot('03-search-sort-reloaded');
  });

  it('shows the quota as a chart with used and limit in words, and the members by role', async () => {
    await row(full).getByRole('link', { name: full }).click();
    await page.waitForURL(/\/harbor\/projects\/\d+\/summary$/);
    projectId = Number(/projects\/(\d+)\//.exec(page.url())![1]);
    await page.getByTestId('quota-chart').locator('.ant-progress').waitFor();
    expect(await page.getByTestId('quota-text').innerText()).toBe('0 B of 2.00 GiB used');
    const admins = page.getByTestId('member-counts').locator('.ant-descriptions-item', { hasText: 'Project admins' });
    expect(await admins.locator('.ant-descriptions-item-content').innerText()).toBe('1');
    expect(await page.getByTestId('summary-repo-count').innerText()).toBe('0');
    await shot('04-summary');
  });

  it('shows how to push into an empty project, then the pushed repository, whose description is edited in place', async () => {
    await page.getByRole('tab', { name: 'Repositories' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects/${projectId}/repositories`);
    const info = await adminJson<{ registry_url: string }>('/systeminfo');
    await page.getByTestId('push-hint').getByText(`docker push ${info.registry_url}/${full}/REPOSITORY:TAG`).waitFor();
    await shot('05-empty-push-hint');

    const image = buildOciLayout(join(suite.dir, 'image'), '1');
    const authfile = join(suite.dir, 'skopeo-auth.json');
    ok(await run('skopeo', ['login', '--tls-verify=false', '--authfile', authfile, '-u', 'admin', '-p', suite.adminPassword, suite.host]), 'skopeo login');
    ok(
      await run('skopeo', ['copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, `docker://${suite.host}/${repository}:1`], {
        timeoutMs: 120_000,
      }),
      'skopeo copy (push)',
    );

    const pushed = row(repository);
    await eventually(page, () => pushed.waitFor({ timeout: 2_000 }), () => page.reload());
    expect(await pushed.getByRole('cell').nth(2).innerText()).toBe('1');
    await shot('06-pushed');

    await pushed.getByRole('button', { name: `Edit the description of ${repository}` }).click();
    await pushed.getByRole('textbox', { name: `Description of ${repository}` }).fill('The hello image, pushed by the e2e test');
    await pushed.getByRole('button', { name: 'Save' }).click();
    await eventually(page, async () =>
      expect(await row(repository).getByTestId('repository-description').innerText()).toBe('The hello image, pushed by the e2e test'),
    );
    const saved = await adminJson<{ description: string }>(`/projects/${full}/repositories/hello`);
    expect(saved.description).toBe('The hello image, pushed by the e2e test');
    await shot('07-description-edited');

    await page.getByLabel('Search repositories by name').fill('nothing-like-it');
    await page.getByLabel('Search repositories by name').press('Enter');
    await page.getByText('No repository name contains "nothing-like-it"', { exact: false }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('nothing-like-it');
    await shot('08-repository-search-empty');
  });

  it('filters the project\'s log to the push and create entries', async () => {
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects/${projectId}/logs`);
    await pickOption(page, page.getByRole('combobox', { name: 'Filter the log by' }), 'Operation');
    await page.getByLabel('Filter text').fill('create');
    await page.getByLabel('Filter text').press('Enter');
    await page.waitForURL(/by=operation.*q=create|q=create.*by=operation/);

    // The push's entry comes from the registry's notification, a moment after the push.
    await eventually(page, () => row(`${repository}:1`).waitFor({ timeout: 2_000 }), () => page.reload());
    await row(full).waitFor();
    // Read once the table has settled on the filtered page (a reload may still be replacing rows).
    await eventually(page, async () => {
      const operations = await page.getByTestId('log-operation').allInnerTexts();
      expect(operations.length).toBeGreaterThanOrEqual(2);
      expect(new Set(operations)).toEqual(new Set(['Create']));
    });
    await shot('09-logs-create');

    await pickOption(page, page.getByRole('combobox', { name: 'Filter the log by' }), 'Resource');
    await page.getByLabel('Filter text').fill('hello');
    await page.getByLabel('Filter text').press('Enter');
    await eventually(page, async () => {
      const resources = await page.locator('tr.ant-table-row td:nth-child(2)').allInnerTexts();
      expect(resources).toContain(`${repository}:1`);
      expect(resources.filter((resource) => !resource.includes('hello'))).toEqual([]);
    });
    await shot('10-logs-resource');
  });

  it('keeps a filter field picked and a search sent in one moment, before the page re-renders', async () => {
    // Both changes in one task: the second once started from the parameters of the last render and lost the first.
    await page.getByRole('combobox', { name: 'Filter the log by' }).click();
    await page.locator('.ant-select-item-option:visible', { hasText: /^User$/ }).first().waitFor();
    await page.evaluate(`(() => {
      const option = Array.from(document.querySelectorAll('.ant-select-item-option')).find((el) => el.textContent === 'User');
      option.click();
      const box = document.querySelector('input[aria-label="Filter text"]');
      box.value = 'admin';
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true }));
    })()`);
    await page.waitForURL(/by=username.*q=admin|q=admin.*by=username/, { timeout: 10_000 });
  });

  it('makes the project public in Configuration, and the list shows the new badge', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects/${projectId}/configs`);
    const publicSwitch = page.getByRole('switch', { name: 'Public' });
    expect(await publicSwitch.getAttribute('aria-checked')).toBe('false');
    await publicSwitch.click();
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(page, async () => expect(await page.getByTestId('access-badge').innerText()).toBe('Public'));
    await shot('11-configuration-public');
    const project = await adminJson<{ metadata: { public: string } }>(`/projects/${projectId}`);
    expect(project.metadata.public).toBe('true');

    await page.goto(`${suite.url}/harbor/projects?q=${suffix}`);
    await row(full).waitFor();
    expect(await row(full).getByTestId('access-badge').innerText()).toBe('Public');
    expect(await row(full).getByTestId('repo-count').innerText()).toBe('1');
    expect(await row(full).getByTestId('storage-used').innerText()).toMatch(/^[1-9][0-9.]* (B|KiB|MiB) of 2\.00 GiB$/);
    await shot('12-list-public');
  });

  it('shows a developer no "New project", no deletes, and the configuration read-only', async () => {
    await api.createUser(developer, developerPassword);
    await api.addMember(full, developer, 2);
    await signOutThroughPortal(page);
    await signInThroughPortal(page, suite.url, developer, developerPassword);
    // The button waits for /systeminfo's creation restriction: look only once the page has read it. Leaving for
    // about:blank first ends the signed-in page's own /systeminfo call, so the answer awaited is the reloaded page's.
    const listUrl = page.url();
    await page.goto('about:blank');
    const info = page.waitForResponse((res) => res.url().endsWith('/api/v2.0/systeminfo') && res.ok());
    await page.goto(listUrl);
    expect(((await (await info).json()) as { project_creation_restriction: string }).project_creation_restriction).toBe('adminonly');
    await row(full).waitFor();
    expect(await page.getByRole('button', { name: 'New project' }).count()).toBe(0);
    expect(await row(full).getByRole('button', { name: `Delete project ${full}` }).count()).toBe(0);
    expect(await row(empty).count()).toBe(0);
    await shot('13-developer-list');

    await page.goto(`${suite.url}/harbor/projects/${projectId}/repositories`);
    // Developers may change a description (repository:update) but not delete (repository:delete).
    await row(repository).getByRole('button', { name: `Edit the description of ${repository}` }).waitFor();
    expect(await row(repository).getByRole('button', { name: `Delete repository ${repository}` }).count()).toBe(0);

    await page.goto(`${suite.url}/harbor/projects/${projectId}/configs`);
    await page.getByTestId('config-read-only').waitFor();
    expect(await page.getByRole('switch', { name: 'Public' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await shot('14-developer-configuration');

    await signOutThroughPortal(page);
    await signInThroughPortal(page, suite.url, 'admin', suite.adminPassword);
    await page.goto(`${suite.url}/harbor/projects?q=${suffix}`);
    await row(empty).waitFor();
  });

  it('refuses to delete a project that holds repositories in the server\'s words, and deletes an empty one', async () => {
    const reason = (await adminJson<{ deletable: boolean; message: string }>(`/projects/${projectId}/_deletable`)).message;
    await row(full).getByRole('button', { name: `Delete project ${full}` }).click();
    const dialog = page.getByRole('dialog');
    const refusal = dialog.getByTestId('delete-refused');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(`Project ${full} cannot be deleted`);
    expect(await refusal.innerText()).toContain(reason);
    expect(await dialog.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await dialogsSettled(page);
    await shot('15-delete-refused');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await row(empty).getByRole('button', { name: `Delete project ${empty}` }).click();
    await dialog.getByText(`Project ${empty} goes with its members`, { exact: false }).waitFor();
    await dialogsSettled(page);
    await shot('16-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await row(empty).waitFor({ state: 'detached' });
    await row(full).waitFor();
    expect((await admin(`/projects/${empty}`)).status).toBe(404);
    await shot('17-deleted');
  });

  it('reads in Chinese, and the project page does not scroll sideways at 390 px', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('columnheader', { name: '已用存储' }).waitFor();
    expect(await row(full).getByTestId('access-badge').innerText()).toBe('公开');
    await shot('18-list-chinese');

    await page.goto(`${suite.url}/harbor/projects/${projectId}/summary`);
    await page.getByRole('tab', { name: '概要' }).waitFor();
    await page.getByTestId('member-counts').getByText('项目管理员').waitFor();
    expect(await page.getByTestId('quota-text').innerText()).toMatch(/^已用 .+，配额 2\.00 GiB$/);
    await shot('19-summary-chinese');
    await expectNoSidewaysScroll(page);
    await shot('20-summary-narrow');

    // Narrow, the tabs fold into a menu: the next tabs are reached by their URLs, as a shared link would.
    await page.goto(`${suite.url}/harbor/projects/${projectId}/repositories`);
    await row(repository).waitFor();
    await page.getByRole('columnheader', { name: '制品数' }).waitFor();
    await expectNoSidewaysScroll(page);
    await shot('21-repositories-narrow');

    await page.goto(`${suite.url}/harbor/projects/${projectId}/configs`);
    await page.getByRole('switch', { name: '公开' }).waitFor();
    await expectNoSidewaysScroll(page);
    await shot('22-configuration-narrow');
  });
});
