import { uniqueEmail } from '../support/db.js';
import {
  type BrowserStack,
  SCREENS,
  SITES,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';
import { linkTo, mailTo } from './support/mailbox.js';

const desktop = SCREENS[0];

/**
 * A person on each site becomes a member: signs up from the header's link, confirms the address
 * from the email, signs in, sees themself greeted on a shared cached page, and signs out. Every
 * step is a click or a keystroke; any console error, CSP report or refused request fails it.
 */
describe('a person signs up, confirms, signs in and out', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_accounts');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITES)(
    '$id',
    async (site) => {
      const tab = await stack.open(desktop);
      const { page } = tab;
      const origin = stack.origin(site);
      const email = uniqueEmail(`member-${site.id}`);
      const name = `Robin ${site.id}`;
      const password = 'a sturdy passphrase';

      await page.goto(`${origin}/`);
      await page.locator('#account-menu a').click();
      await page.waitForURL(/\/account\/sign-in$/);
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL(/\/account\/sign-up$/);
      await page.fill('#displayName', name);
      await page.fill('#email', email);
      await page.fill('#password', password);
      await snapshot(page, `account-sign-up-${site.id}`);
      await page.click('#sign-up-submit');
      await expect(page.locator('h1').innerText()).resolves.toBe('Check your email');

      // The confirmation link from the email, as the person's mail client opens it.
      const confirm = linkTo(await mailTo(stack.sink, email), '/account/verify');
      expect(new URL(confirm).host).toBe(`${site.host}:${stack.port}`);
      await page.goto(confirm);
      await expect(page.locator('h1').innerText()).resolves.toBe('Your email address is confirmed');

      await page.goto(`${origin}/account/sign-in`);
      await page.fill('#email', email);
      await page.fill('#password', password);
      await page.click('#sign-in-submit');
      await page.waitForURL(/\/account$/);
      await expect(page.locator('#account-name').innerText()).resolves.toBe(name);

      // A shared page, greeted by name from the private fragment fetched after it.
      await page.goto(`${origin}/`);
      await expect(page.locator('#account-menu-link').innerText()).resolves.toBe(`Hello, ${name}`);
      await snapshot(page, `account-home-signed-in-${site.id}`);
      // A card page, starred from the button the fragment brought.
      await page.locator('main a[href^="/cards/"]').first().click();
      await page.waitForURL(/\/cards\/[^/]+$/);
      await page.click('#favourite-button');
      await page.waitForURL(/\/cards\/[^/]+$/);
      await expect(
        page.locator('#favourite-button[aria-pressed="true"]').innerText(),
      ).resolves.toBe('★ In your favourites');
      await page.click('#account-menu-link');
      await page.waitForURL(/\/account$/);

      await page.click('#sent-history');
      await page.waitForURL(/\/account\/history$/);
      await expect(page.locator('#history-empty').isVisible()).resolves.toBe(true);
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL(/\/account$/);

      await page.click('#sign-out');
      await expect(page.locator('h1').innerText()).resolves.toBe('Signed out');
      await page.goto(`${origin}/`);
      await expect(page.locator('#account-menu a').innerText()).resolves.toBe('Sign in');
      await page.waitForLoadState('networkidle');
      tab.assertClean();
      await tab.close();
    },
    90_000,
  );
});
