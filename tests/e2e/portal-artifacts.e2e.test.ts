import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { formatBytes } from '../../services/core/portal/src/format-bytes';
import { HarborApi } from '../support/harbor-api';
import { buildOciLayout, BuiltImage } from '../support/oci-layout';
import { buildMultiArchLayout, MultiArchLayout } from '../support/oci-multiarch';
import { expectNoSidewaysScroll, insecureHostName, openPortalBrowser, PortalBrowser, signInThroughPortal, switchLanguage } from '../support/portal-browser';
import { ok, run } from '../support/run-command';
import { RunningSuite, startSuite } from '../support/suite';

jest.setTimeout(300_000);

interface Descriptor {
  digest: string;
  size: number;
}

/**
 * The portal's repository and artifact pages in a real browser, against the
 * whole suite through the proxy, with images pushed by skopeo into a
 * repository whose name holds a slash (`<project>/team/app`): the deep link
 * survives a reload; each row shows its tags, size and short digest; the pull
 * commands copied are exactly what `docker pull` wants; a tag is added and
 * removed (the confirmation names it); the artifact page lists the layers
 * and build history of the pushed manifest and config; an index lists its
 * platforms, each leading to its image; an artifact is deleted after a
 * confirmation naming its digest and tags; a missing repository is named
 * in words; a developer sees no remove or delete buttons; the page speaks
 * Chinese and never scrolls sideways at 390px. Screenshots in
 * tests/artifacts/portal/artifacts-*.
 */
describe('portal: a repository\'s artifacts and an artifact\'s detail', () => {
  let suite: RunningSuite;
  let browser: PortalBrowser;
  let page: Page;
  let image: BuiltImage;
  let multi: MultiArchLayout;
  let projectId: number;
  const developerPassword = `Dev3l${randomBytes(6).toString('hex')}`;
  const project = `artifacts-e2e-${randomBytes(3).toString('hex')}`;
  const extraTag = `extra-${randomBytes(3).toString('hex')}`;
  const shot = (name: string) => browser.shot(name);
  const short = (digest: string) => digest.slice(0, 'sha256:'.length + 8);
  const repositoryUrl = () => `${suite.url}/harbor/projects/${projectId}/repositories/team%2Fapp`;
  /** The artifacts table's row holding the tag `tag`. */
  const rowWithTag = (tag: string): Locator => page.locator('tr.ant-table-row', { has: page.locator(`[data-tag="${tag}"]`) });
  const blob = (dir: string, digest: string) => readFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));

  async function adminApi(method: string, path: string): Promise<Response> {
    return fetch(`${suite.url}/api/v2.0${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`admin:${suite.adminPassword}`).toString('base64')}` },
    });
  }

  /** Waits until the clipboard holds `expected` (the copy is asynchronous), failing with what it held. */
  async function expectClipboard(expected: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    let held = '';
    while (Date.now() < deadline) {
      held = await page.evaluate<string>('navigator.clipboard.readText()');
      if (held === expected) return;
      await page.waitForTimeout(100);
    }
    expect(held).toBe(expected);
  }

  /** The open dialog, once its opening animation has ended (so a screenshot shows it). */
  async function openDialog(): Promise<Locator> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.waitForFunction(
      "Array.from(document.querySelectorAll('.ant-modal')).some((m) => m.getClientRects().length > 0 && getComputedStyle(m).opacity === '1' && !/zoom/.test(m.className))",
    );
    return dialog;
  }

  beforeAll(async () => {
    suite = await startSuite();
    const api = new HarborApi(suite.url, 'admin', suite.adminPassword);
    await api.createProject(project, false);
    await api.createUser('developer', developerPassword);
    await api.addMember(project, 'developer', 2);
    projectId = ((await (await adminApi('GET', `/projects/${project}`)).json()) as { project_id: number }).project_id;

    image = buildOciLayout(join(suite.dir, 'image'), '1');
    multi = buildMultiArchLayout(join(suite.dir, 'multi'), 'multi');
    const authfile = join(suite.dir, 'skopeo-auth.json');
    const skopeo = (...args: string[]) => run('skopeo', args, { timeoutMs: 120_000 });
    ok(await skopeo('login', '--tls-verify=false', '--authfile', authfile, '-u', 'admin', '-p', suite.adminPassword, suite.host), 'skopeo login');
    ok(await skopeo('copy', '--dest-tls-verify=false', '--authfile', authfile, `oci:${image.dir}:1`, `docker://${suite.host}/${project}/team/app:1`), 'push the image');
    ok(
      await skopeo('copy', '--all', '--dest-tls-verify=false', '--authfile', authfile, `oci:${multi.dir}:multi`, `docker://${suite.host}/${project}/team/app:multi`),
      'push the index',
    );

    browser = await openPortalBrowser({ prefix: 'artifacts' });
    page = browser.page;
    await signInThroughPortal(page, suite.url, 'admin', suite.adminPassword);
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('deep-links to a repository whose name holds a slash, and keeps it over a reload', async () => {
    await page.goto(repositoryUrl());
    await page.getByTestId('repository-name').getByText(`${project}/team/app`, { exact: true }).waitFor();
    const row = rowWithTag('1');
    await row.waitFor();

    // Size as core counts it: manifest, config and layers.
    const manifestBytes = blob(image.dir, image.manifestDigest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    const size = manifestBytes.length + manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
    expect(await row.getByTestId('artifact-size').innerText()).toBe(formatBytes(size));
    expect(await row.getByTestId('artifact-link').innerText()).toBe(short(image.manifestDigest));
    expect(await row.getByTestId('copy-digest').getAttribute('data-copy')).toBe(image.manifestDigest);
    await rowWithTag('multi').waitFor();
    await shot('01-repository');

    await page.reload();
    expect(page.url()).toBe(repositoryUrl());
    await rowWithTag('1').waitFor();
    await rowWithTag('multi').waitFor();
    await shot('02-reloaded');
  });

  it('copies the pull commands by tag and by digest, exactly as docker wants them', async () => {
    const row = rowWithTag('1');
    await row.getByTestId('pull-tag-1').click();
    await expectClipboard(`docker pull ${suite.host}/${project}/team/app:1`);
    await row.getByTestId('pull-digest').click();
    await expectClipboard(`docker pull ${suite.host}/${project}/team/app@${image.manifestDigest}`);
    await shot('03-copied');
  });

  it('copies from a portal served over plain http under a name, where the browser offers no clipboard API', async () => {
    // Not localhost, so not a secure context: no navigator.clipboard, as for an operator's http://harbor.example.com.
    const base = `http://${insecureHostName}:${new URL(suite.url).port}`;
    const insecure = await browser.context.newPage();
    try {
      await signInThroughPortal(insecure, base, 'admin', suite.adminPassword);
      expect(await insecure.evaluate<boolean>('window.isSecureContext')).toBe(false);
      expect(await insecure.evaluate<string>('typeof navigator.clipboard')).toBe('undefined');
      await insecure.goto(`${base}/harbor/projects/${projectId}/repositories/team%2Fapp`);
      const button = insecure.locator('tr.ant-table-row', { has: insecure.locator('[data-tag="1"]') }).getByTestId('pull-tag-1');
      const command = await button.getAttribute('data-copy');
      expect(command).toMatch(/^docker pull \S+\/team\/app:1$/);
      await button.click();
      const answer = insecure.locator('.ant-message-notice', { hasText: /^(Copied|Could not copy.*)$/ }).first();
      await answer.waitFor();
      expect(await answer.innerText()).toBe('Copied');
      // The browser's clipboard is one: the secure page reads what the insecure one copied.
      await expectClipboard(command!);
    } finally {
      await insecure.close();
    }
  });

  it('searches by part of a tag, the search kept in the URL', async () => {
    const search = page.getByLabel('Search by tag');
    await search.fill('mul');
    await search.press('Enter');
    await page.waitForURL(`${repositoryUrl()}?q=mul`);
    await rowWithTag('1').waitFor({ state: 'detached' });
    expect(await page.locator('tr.ant-table-row').count()).toBe(1);
    await rowWithTag('multi').waitFor();
    await shot('04-search');

    await search.fill('no-such-tag');
    await search.press('Enter');
    await page.getByTestId('empty-artifacts').getByText('No artifact has a tag containing "no-such-tag".').waitFor();
    await page.goto(repositoryUrl());
    await rowWithTag('1').waitFor();
  });

  it('adds a tag, then removes it after a confirmation that names it', async () => {
    const addTag = rowWithTag('1').getByRole('button', { name: `Add a tag to ${short(image.manifestDigest)}` });
    await addTag.click();
    // Esc closes the dialog; it opens again with the focus in the name field.
    await (await openDialog()).getByLabel('Tag name').press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await addTag.click();
    const dialog = await openDialog();
    const name = dialog.getByLabel('Tag name');
    const nameId = await name.getAttribute('id');
    await page.waitForFunction(`document.activeElement !== null && document.activeElement.id === ${JSON.stringify(nameId)}`);
    await name.fill('.bad');
    await dialog.getByText('not starting with', { exact: false }).waitFor();
    await name.fill(extraTag);
    await dialog.getByText('not starting with', { exact: false }).waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowWithTag(extraTag).waitFor();
    expect(await rowWithTag(extraTag).getByTestId('artifact-link').innerText()).toBe(short(image.manifestDigest));
    await shot('05-tag-added');
    const tagged = (await (await adminApi('GET', `/projects/${project}/repositories/team%252Fapp/artifacts/${extraTag}`)).json()) as { digest: string };
    expect(tagged.digest).toBe(image.manifestDigest);

    await rowWithTag(extraTag).getByRole('button', { name: `Remove the tag ${extraTag}` }).click();
    const confirm = await openDialog();
    expect(await confirm.getByTestId('confirm-body').innerText()).toContain(`The tag ${extraTag} will no longer point at ${short(image.manifestDigest)}`);
    await shot('06-remove-tag-confirm');
    await confirm.getByRole('button', { name: 'Remove tag' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.locator(`[data-tag="${extraTag}"]`).waitFor({ state: 'detached' });
    await rowWithTag('1').waitFor();
    expect((await adminApi('GET', `/projects/${project}/repositories/team%252Fapp/artifacts/${extraTag}`)).status).toBe(404);
    await shot('07-tag-removed');
  });

  it('shows an image\'s layers and build history as its manifest and config record them', async () => {
    await rowWithTag('1').getByTestId('artifact-link').click();
    await page.waitForURL(`${repositoryUrl()}/artifacts/${encodeURIComponent(image.manifestDigest)}`);
    await page.reload();
    expect(await page.getByTestId('artifact-digest').innerText()).toBe(image.manifestDigest);

    const manifest = JSON.parse(blob(image.dir, image.manifestDigest).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    const layers = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Media type' }) });
    await layers.getByTestId('layer-size').first().waitFor();
    expect(await layers.getByTestId('layer-size').allInnerTexts()).toEqual(manifest.layers.map((l) => formatBytes(l.size)));
    expect(await layers.locator('tr.ant-table-row code').allInnerTexts()).toEqual(manifest.layers.map((l) => short(l.digest)));
    expect(manifest.layers[0]!.digest).toBe(image.layerDigest);

    const config = JSON.parse(blob(image.dir, manifest.config.digest).toString('utf8')) as { history: Array<{ created_by: string }> };
    const history = page.getByTestId('history-created-by');
    await history.first().waitFor();
    expect(await history.allInnerTexts()).toEqual(config.history.map((h) => h.created_by));
    expect(await page.getByTestId('artifact-tags').innerText()).toContain('1');
    await shot('08-image-detail');
  });

  it('lists an index\'s platforms, each leading to its own image', async () => {
    await page.goto(repositoryUrl());
    await rowWithTag('multi').getByTestId('artifact-link').click();
    await page.waitForURL(`${repositoryUrl()}/artifacts/${encodeURIComponent(multi.indexDigest)}`);
    const platforms = page.getByTestId('platform-link');
    await platforms.first().waitFor();
    expect(await platforms.allInnerTexts()).toEqual(multi.images.map((i) => `linux/${i.architecture}`));
    await shot('09-index-platforms');

    const arm = multi.images.find((i) => i.architecture === 'arm64')!;
    await page.getByRole('link', { name: 'linux/arm64' }).click();
    await page.waitForURL(`${repositoryUrl()}/artifacts/${encodeURIComponent(arm.manifestDigest)}`);
    await page.getByTestId('artifact-digest').getByText(arm.manifestDigest).waitFor();
    await page.getByTestId('history-created-by').getByText('harbor-ts e2e: COPY arch.txt / (arm64)').waitFor();
    await shot('10-platform-image');
  });

  it('deletes an artifact after a confirmation naming its digest and tags', async () => {
    await page.goto(repositoryUrl());
    await rowWithTag('1').getByRole('button', { name: `Delete the artifact ${short(image.manifestDigest)}` }).click();
    const confirm = await openDialog();
    const body = await confirm.getByTestId('confirm-body').innerText();
    expect(body).toContain(image.manifestDigest);
    expect(body).toContain('its tags: 1.');
    await shot('11-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete artifact' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await rowWithTag('1').waitFor({ state: 'detached' });
    await rowWithTag('multi').waitFor();
    expect((await adminApi('GET', `/projects/${project}/repositories/team%252Fapp/artifacts/${image.manifestDigest}`)).status).toBe(404);
    await shot('12-deleted');
  });

  it('says in words that a repository does not exist', async () => {
    await page.goto(`${suite.url}/harbor/projects/${projectId}/repositories/team%2Fnothing`);
    const alert = page.getByRole('alert');
    await alert.getByText('not found', { exact: false }).waitFor();
    expect(await alert.innerText()).not.toMatch(/[{}]/);
    await shot('13-not-found');
    await page.goto(repositoryUrl());
    await rowWithTag('multi').waitFor();
  });

  it('offers a developer tagging, but neither removing tags nor deleting artifacts', async () => {
    const developer = await openPortalBrowser({ prefix: 'artifacts-developer' });
    try {
      await signInThroughPortal(developer.page, suite.url, 'developer', developerPassword);
      await developer.page.goto(repositoryUrl());
      const row = developer.page.locator('tr.ant-table-row', { has: developer.page.locator('[data-tag="multi"]') });
      await row.getByRole('button', { name: 'Add a tag to', exact: false }).waitFor();
      expect(await row.getByRole('button', { name: 'Remove the tag', exact: false }).count()).toBe(0);
      expect(await row.getByRole('button', { name: 'Delete the artifact', exact: false }).count()).toBe(0);
      expect(await developer.page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
      await developer.shot('01-developer');
    } finally {
      await developer.close();
    }
  });

  it('speaks Chinese, and at 390px neither page scrolls sideways', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('columnheader', { name: '摘要' }).waitFor();
    expect(await page.getByRole('columnheader', { name: '推送时间' }).count()).toBe(1);
    await rowWithTag('multi').getByRole('button', { name: '添加标签' }).waitFor();
    expect(await rowWithTag('multi').getByRole('cell', { name: '索引', exact: true }).count()).toBe(1);
    await page.getByPlaceholder('按标签搜索').waitFor();
    await shot('14-chinese');

    await expectNoSidewaysScroll(page);
    await rowWithTag('multi').waitFor();
    await shot('15-narrow');

    // The artifact page too: the full digest wraps instead of widening the page.
    await page.goto(`${repositoryUrl()}/artifacts/${encodeURIComponent(multi.indexDigest)}`);
    await page.getByTestId('platform-link').first().waitFor();
    await page.getByText('平台', { exact: true }).first().waitFor();
    await expectNoSidewaysScroll(page);
    await shot('16-narrow-detail');
  });
});
