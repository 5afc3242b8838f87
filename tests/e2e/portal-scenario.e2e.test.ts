import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { formatBytes } from '../../services/core/portal/src/format-bytes';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { dialogsSettled, eventually, openPortalBrowser, PortalBrowser, signInThroughPortal, signOutThroughPortal, switchLanguage } from '../support/portal-browser';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

interface Descriptor {
  digest: string;
  size: number;
}

/**
 * The issue's scenario end to end, in one browser, in order, against the
 * whole suite through the proxy (`pnpm build` first): the admin signs in,
 * creates a user under Administration → Users and a private project on the
 * projects page, and adds the user to it as Developer on the Members tab;
 * the user pushes an image with skopeo; the admin sees it in the project
 * with its tag and size, and its build history on the artifact page; copies
 * the pull command (the clipboard holds exactly `docker pull …`); adds a tag
 * and deletes it; reads the project page in Chinese; signs out. The user
 * then signs in and sees only what a developer may do (no administration,
 * no member add/remove, no repository, artifact or tag delete, but add tag),
 * and signs out. A screenshot per step in tests/artifacts/portal/scenario-*.png.
 */
describe('the portal scenario: admin sets up, a developer pushes and looks', () => {
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  let image: BuiltImage;
  let projectId = 0;
  const suffix = randomBytes(3).toString('hex');
  const username = `dana-${suffix}`;
  const password = `Dana${suffix}7x`;
  const project = `scenario-${suffix}`;
  const repository = `${project}/app`;
  const extraTag = `rc-${suffix}`;
  const shot = (name: string) => browser.shot(name);
  const row = (text: string) => browser.row(text);
  const short = (digest: string) => digest.slice(0, 'sha256:'.length + 8);
  const repositoryUrl = () => `${suite.url}/harbor/projects/${projectId}/repositories/app`;
  /** The artifacts table's row holding the tag `tag`. */
  const rowWithTag = (tag: string): Locator => page.locator('tr.ant-table-row', { has: page.locator(`[data-tag="${tag}"]`) });
  const blob = (digest: string) => readFileSync(join(image.dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));

  async function adminApi(path: string): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0${path}`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}` },
    });
  }

    /** Picks an antd Select/AutoComplete option by its whole text, then waits for the dropdown to close. */
  async function chooseOption(option: string): Promise<void> {
    await page.locator('.ant-select-item-option:visible', { hasText: new RegExp(`^${option}$`) }).click();
    await eventually(page, async () => expect(await page.locator('.ant-select-dropdown:visible').count()).toBe(0));
  }

  /** Waits for a dialog to close; one that stays open says what it shows (a refusal stays in it, in words). */
  async function closes(dialog: Locator): Promise<void> {
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    } catch (err) {
      const shown = await dialog.innerText({ timeout: 1_000 }).catch(() => '(unreadable)');
      throw new Error(`${(err as Error).message}\nthe dialog still shows: ${shown}`);
    }
  }

  /** The open dialog, once every dialog's motion has ended (so a screenshot shows it, and clicks land). */
  async function openDialog(): Promise<Locator> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialogsSettled(page);
    return dialog;
  }

  /**
   * Opens `url` and waits until the project's permissions have arrived whole
   * and two frames have been drawn since, so an action missing afterwards is
   * hidden by the role, not merely not yet shown.
   */
  async function openWithPermissions(url: string): Promise<void> {
    // Leave the current page first: a permissions call of its own still on the way must not count as this page's.
    await page.goto('about:blank');
    const answered = page.waitForResponse((res) => res.url().includes('/api/v2.0/users/current/permissions') && res.status() === 200);
    await page.goto(url);
    await (await answered).finished();
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  }

  beforeAll(async () => {
    suite = await startSuite();
    image = buildOciLayout(join(suite.dir, 'image'), '1');
    browser = await openPortalBrowser({ prefix: 'scenario' });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('1. signs in as admin', async () => {
    await signInThroughPortal(page, suite.url, 'admin', suite.adminPassword);
    await shot('01-admin-signed-in');
  });

  it('2. creates a user under Administration → Users', async () => {
    // The submenu opens on hover; under load the first hover can come before the menu listens, so hover again until it shows.
    const users = page.getByRole('link', { name: 'Users', exact: true });
    await eventually(page, async () => {
      await page.getByRole('menuitem', { name: 'Administration' }).hover();
      await users.waitFor({ timeout: 3_000 });
    });
    await users.click();
    await page.waitForURL(`${suite.url}/harbor/users`);
    await row('admin').waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = await openDialog();
    await dialog.getByLabel('Username').fill(username);
    await dialog.getByLabel('Email').fill(`${username}@example.test`);
    await dialog.getByLabel('Full name').fill('Dana Developer');
    await dialog.getByLabel('Password', { exact: true }).fill(password);
    await dialog.getByLabel('Repeat the password').fill(password);
    await shot('02-new-user');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByLabel('Search users by name').fill(username);
    await page.getByLabel('Search users by name').press('Enter');
    await row(username).waitFor();
    expect(await row(username).getByTestId('admin-flag').innerText()).toBe('No');
    await shot('03-user-listed');
  });

  it('3. creates a private project on the projects page', async () => {
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.waitForURL(/\/harbor\/projects(\?.*)?$/);
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = await openDialog();
    await dialog.getByLabel('Project name').fill(project);
    expect(await dialog.getByRole('switch', { name: 'Public' }).getAttribute('aria-checked')).toBe('false');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(project).waitFor();
    expect(await row(project).getByTestId('access-badge').innerText()).toBe('Private');
    await shot('04-project-created');

    await row(project).getByRole('link', { name: project }).click();
    await page.waitForURL(/\/harbor\/projects\/\d+\/summary$/);
    projectId = Number(/projects\/(\d+)\//.exec(page.url())![1]);
    const created = (await (await adminApi(`/projects/${project}`)).json()) as { project_id: number; metadata: { public: string } };
    expect(created).toMatchObject({ project_id: projectId, metadata: { public: 'false' } });
  });

  it('4. adds the user to the project as Developer', async () => {
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects/${projectId}/members`);
    await row('admin').waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = await openDialog();
    await dialog.getByLabel('Username', { exact: true }).fill(username.slice(0, 7));
    await chooseOption(username);
    await dialog.getByLabel('Role', { exact: true }).click();
    await chooseOption('Developer');
    await shot('05-add-member');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await closes(dialog);
    await row(username).waitFor();
    expect(await row(username).getByTestId('member-role').innerText()).toContain('Developer');
    await shot('06-member-added');

    const members = (await (await adminApi(`/projects/${projectId}/members?entityname=${username}`)).json()) as { entity_name: string; role_id: number }[];
    expect(members.find((m) => m.entity_name === username)?.role_id).toBe(2);
  });

  it('5. the developer pushes an image with skopeo, and it appears in the project', async () => {
    ok(
      await run(
        'skopeo',
        ['copy', '--dest-tls-verify=false', '--dest-creds', `${username}:${password}`, `oci:${image.dir}:1`, `docker://${suite.host}/${repository}:1`],
        { timeoutMs: 120_000 },
      ),
      'skopeo copy (push as the developer)',
    );
    await page.getByRole('tab', { name: 'Repositories' }).click();
    await page.waitForURL(`${suite.url}/harbor/projects/${projectId}/repositories`);
    await eventually(page, () => row(repository).waitFor({ timeout: 2_000 }), () => page.reload());
    await shot('07-repository-listed');
  });

  it('6. shows the image with its tag and size, and its build history', async () => {
    await row(repository).getByRole('link', { name: repository }).click();
    await page.waitForURL(repositoryUrl());
    const pushed = rowWithTag('1');
    await pushed.waitFor();
    const manifestBytes = blob(image.manifestDigest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    const size = manifestBytes.length + manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
    expect(await pushed.getByTestId('artifact-size').innerText()).toBe(formatBytes(size));
    expect(await pushed.getByTestId('artifact-link').innerText()).toBe(short(image.manifestDigest));
    await shot('08-artifact-listed');

    await pushed.getByTestId('artifact-link').click();
    await page.waitForURL(`${repositoryUrl()}/artifacts/${encodeURIComponent(image.manifestDigest)}`);
    expect(await page.getByTestId('artifact-digest').innerText()).toBe(image.manifestDigest);
    const config = JSON.parse(blob(manifest.config.digest).toString('utf8')) as { history: Array<{ created_by: string }> };
    const history = page.getByTestId('history-created-by');
    await history.first().waitFor();
    expect(await history.allInnerTexts()).toEqual(config.history.map((entry) => entry.created_by));
    await page.getByTestId('layer-size').first().waitFor();
    expect(await page.getByTestId('layer-size').allInnerTexts()).toEqual(manifest.layers.map((layer) => formatBytes(layer.size)));
    await shot('09-build-history');
  });

  it('7. copies the pull command, and the clipboard holds exactly it', async () => {
    await page.goto(repositoryUrl());
    await rowWithTag('1').getByTestId('pull-tag-1').click();
    const expected = `docker pull ${suite.host}/${repository}:1`;
    let held = '';
    await eventually(page, async () => {
      held = await page.evaluate<string>('navigator.clipboard.readText()');
      expect(held).toBe(expected);
    });
    expect(held).toBe(expected);
    await shot('10-pull-command-copied');
  });

  it('8. adds a tag, then deletes it', async () => {
    await rowWithTag('1').getByRole('button', { name: `Add a tag to ${short(image.manifestDigest)}` }).click();
    const dialog = await openDialog();
    await dialog.getByLabel('Tag name').fill(extraTag);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await closes(dialog);
    await rowWithTag(extraTag).waitFor();
    expect(await rowWithTag(extraTag).getByTestId('artifact-link').innerText()).toBe(short(image.manifestDigest));
    await shot('11-tag-added');
    expect((await adminApi(`/projects/${project}/repositories/app/artifacts/${extraTag}`)).status).toBe(200);

    await rowWithTag(extraTag).getByRole('button', { name: `Remove the tag ${extraTag}` }).click();
    const confirm = await openDialog();
    expect(await confirm.getByTestId('confirm-body').innerText()).toContain(`The tag ${extraTag} will no longer point at ${short(image.manifestDigest)}`);
    await confirm.getByRole('button', { name: 'Remove tag' }).click();
    await closes(confirm);
    await page.locator(`[data-tag="${extraTag}"]`).waitFor({ state: 'detached' });
    await rowWithTag('1').waitFor();
    await shot('12-tag-deleted');
    expect((await adminApi(`/projects/${project}/repositories/app/artifacts/${extraTag}`)).status).toBe(404);
  });

  it('9. shows the project page in Chinese', async () => {
    await page.goto(`${suite.url}/harbor/projects/${projectId}/summary`);
    await page.getByTestId('member-counts').waitFor();
    await switchLanguage(page, '简体中文');
    await page.getByRole('tab', { name: '概要' }).waitFor();
    for (const tab of ['镜像仓库', '成员', '机器人账户', '日志', '配置管理']) {
      expect(await page.getByRole('tab', { name: tab }).count()).toBe(1);
    }
    expect(await page.getByTestId('access-badge').innerText()).toBe('私有');
    await page.getByTestId('member-counts').getByText('开发者').waitFor();
    await shot('13-project-chinese');
  });

  it('10. signs out', async () => {
    await signOutThroughPortal(page, '退出登录');
    await page.getByRole('button', { name: '登录' }).waitFor();
    // Back to English on the sign-in page, for the developer's part.
    await switchLanguage(page, 'English');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('14-admin-signed-out');
  });

  it('11. the developer signs in and sees only what the role allows', async () => {
    await signInThroughPortal(page, suite.url, username, password);
    await row(project).waitFor();
    expect(await row(project).getByTestId('access-badge').innerText()).toBe('Private');
    expect(await page.getByRole('menuitem', { name: 'Administration' }).count()).toBe(0);
    await shot('15-developer-projects');

    // Members: readable, but nothing to add, remove or re-role.
    await openWithPermissions(`${suite.url}/harbor/projects/${projectId}/members`);
    await row('admin').waitFor();
    await row(username).waitFor();
    expect(await row(username).getByTestId('member-role').innerText()).toBe('Developer');
    expect(await page.getByRole('button', { name: 'Add user' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
    await shot('16-developer-members');

    // Repositories: listed, not deletable.
    await page.getByRole('tab', { name: 'Repositories' }).click();
    await row(repository).waitFor();
    expect(await page.getByRole('button', { name: `Delete repository ${repository}` }).count()).toBe(0);
    await shot('17-developer-repositories');

    // Artifacts: a developer may tag (the button shows once permissions are in) but not delete artifacts or tags.
    await openWithPermissions(repositoryUrl());
    const pushed = rowWithTag('1');
    await pushed.getByRole('button', { name: `Add a tag to ${short(image.manifestDigest)}` }).waitFor();
    expect(await page.getByRole('button', { name: `Delete the artifact ${short(image.manifestDigest)}` }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove the tag 1' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    await shot('18-developer-artifacts');
  });

  it('12. the developer signs out, and the session is gone', async () => {
    await signOutThroughPortal(page);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot('19-developer-signed-out');
    expect((await page.request.get(`${suite.url}/api/v2.0/users/current`)).status()).toBe(401);
  });
});
