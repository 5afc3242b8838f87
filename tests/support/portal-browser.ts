import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { tempDir } from '@harbor/testkit';

const chromiumPath = process.env.HARBOR_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Resolves to 127.0.0.1 in the portal browser: `http://harbor.test:<port>` is the suite, as an insecure origin. */
export const insecureHostName = 'harbor.test';

const chromiumArgs = [
  '--headless',
  // A name for the suite that is not localhost, so a page can be opened outside a secure context (plain http).
  `--host-resolver-rules=MAP ${insecureHostName} 127.0.0.1`,
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PortalBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as tests/artifacts/portal/<prefix>-<name>.png. */
  shot(name: string): Promise<void>;
  /** The table row holding a cell whose whole text is `text`. */
  row(text: string, within?: Page | Locator): Locator;
  close(): Promise<void>;
}

/**
 * Debian's headless Chromium with a throw-away profile and clipboard access,
 * at 1280×800. Browser steps get long timeouts: CI runs these beside the
 * other end-to-end suites on two cores.
 */
export async function openPortalBrowser(options: { prefix: string; locale?: string }): Promise<PortalBrowser> {
  const artifacts = resolve(__dirname, '..', 'artifacts', 'portal');
  mkdirSync(artifacts, { recursive: true });
  const profile = tempDir('harbor-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(90_000);
  return {
    context,
    page,
    async shot(name) {
      await page.screenshot({ path: join(artifacts, `${options.prefix}-${name}.png`), fullPage: true });
    },
    row(text, within = page) {
      return within.locator('tr.ant-table-row', { has: page.getByRole('cell', { name: text, exact: true }) });
    },
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/** Signs in through the sign-in page (English labels) and waits for the projects list. */
export async function signInThroughPortal(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/account/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/harbor/projects`);
  await page.getByTestId('current-user').getByText(username).waitFor();
}

/** Opens the account menu and signs out, in whichever language the page shows. */
export async function signOutThroughPortal(page: Page, signOutLabel = 'Sign out'): Promise<void> {
  await page.getByTestId('current-user').click();
  await page.getByRole('menuitem', { name: signOutLabel }).click();
  await page.waitForURL(/\/account\/sign-in/);
}

/**
 * Narrows the window and checks that the page itself never scrolls sideways
 * (tables scroll inside themselves). Layout settles over a few frames after a
 * resize (menus collapse into "…" once a ResizeObserver fires), so it waits up
 * to 10 s for the width to settle; a real overflow stays and fails, naming the
 * widest elements so the failure says what to fix.
 */
export async function expectNoSidewaysScroll(page: Page, width = 390): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  const deadline = Date.now() + 10_000;
  let scrollWidth = Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    if (scrollWidth <= width) return;
    await page.waitForTimeout(250);
  }
  const culprits = await page.evaluate<string[]>(`(() => {
    const width = ${width};
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .filter((el) => !el.closest('.ant-table-content, .ant-table-body, .ant-tabs-nav-wrap, .ant-menu-overflow'))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 2).join('.') + ' right=' + Math.round(el.getBoundingClientRect().right));
  })()`);
  throw new Error(`the page scrolls sideways at ${width}px: scrollWidth ${scrollWidth}; widest: ${culprits.join('; ')}`);
}

/**
 * Waits until every antd modal and mask on the page has finished its motion
 * (no `-appear`/`-enter`/`-leave` class, no running animation). Checking only
 * the first `.ant-modal` in the document is not enough: a dialog closed just
 * before may still be there, settled, while the one opening still zooms in,
 * and a click on its moving button can land beside it.
 */
export async function dialogsSettled(page: Page): Promise<void> {
  await page.waitForFunction(`(() => {
    const parts = Array.from(document.querySelectorAll('.ant-modal, .ant-modal-mask'));
    return parts.length > 0 && parts.every((el) => !/-(appear|enter|leave)/.test(String(el.className)) && el.getAnimations().length === 0);
  })()`);
}

/**
 * Runs `check` until it passes or `ms` run out (then its last failure is
 * thrown). Between tries, `between` (e.g. a reload) or a 250 ms pause: for
 * states the page reaches in its own time, such as an audit row after a push.
 */
export async function eventually(page: Page, check: () => Promise<void>, between?: () => Promise<unknown>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (between) await between();
    else await page.waitForTimeout(250);
  }
}

/**
 * Opens an antd Select with `opener` and clicks the option showing `option`
 * (the first, when several contain it). The dropdown can close again while
 * it opens when the page re-renders under it (a fetch landing), leaving the
 * option hidden for good, so it is reopened and the click retried.
 */
export async function pickOption(page: Page, opener: Locator, option: string | RegExp, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await page.locator('.ant-select-dropdown:visible').count())) await opener.click();
      await page.locator('.ant-select-item-option:visible', { hasText: option }).first().click({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

/** Picks a language in the switcher (the shell's or the account pages'), until the switcher shows it. */
export async function switchLanguage(page: Page, label: string, attempts = 5): Promise<void> {
  const switcher = page.getByTestId('language-switcher');
  for (let attempt = 1; ; attempt++) {
    try {
      await pickOption(page, switcher, new RegExp(`^${label}$`), 1);
      await switcher.filter({ hasText: label }).waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}
