import {
  type BrowserStack,
  SCREENS,
  SITE_TOURS,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';

/**
 * A person who follows a stale or mistyped link lands on the site's own branded page with a
 * way back, and the page itself loads cleanly (styles, logo, icon: nothing else fails).
 */
describe('error pages a person can land on', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_errors');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITE_TOURS)(
    '$label: a missing card, a missing occasion, a dead pickup link',
    async ({ site, screen }) => {
      const tab = await stack.open(screen);
      const { page } = tab;
      for (const path of ['/cards/no-such-card', '/occasions/no-such-occasion', '/p/not-a-token']) {
        const response = await page.goto(`${stack.origin(site)}${path}`);
        expect(response?.status()).toBe(404);
        await expect(page.title()).resolves.toContain(site.brand);
        await expect(page.locator('h1').innerText()).resolves.not.toBe('');
      }
      await snapshot(page, `not-found-${site.id}-${screen.name}`);
      // The way back is a link on the page, and it works.
      await page.locator('main a[href="/"]').first().click();
      await page.waitForURL(`${stack.origin(site)}/`);
      await expect(page.title()).resolves.toContain(site.brand);
      tab.assertClean({ statuses: [404] });
      await tab.close();
    },
    60_000,
  );

  it('an unknown host gets the unknown-site page, never another site', async () => {
    const tab = await stack.open(SCREENS[0]);
    const response = await tab.page.goto(`http://nobody.example:${stack.port}/`);
    expect(response?.status()).toBe(404);
    const text = await tab.page.locator('body').innerText();
    expect(text).toMatch(/unknown|not found|no site/i);
    expect(text).not.toMatch(/Ecardia|Kindred|Merry Post/);
    tab.assertClean({ statuses: [404] });
    await tab.close();
  }, 30_000);
});
