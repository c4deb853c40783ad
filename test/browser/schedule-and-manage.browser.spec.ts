import { uniqueEmail } from '../support/db.js';
import {
  type BrowserStack,
  SITE_TOURS,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';

/** The date a week from now as a date input takes it (YYYY-MM-DD). */
function nextWeek(): string {
  return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A person schedules a card for next week, then changes its message and finally cancels it
 * from the private manage page the confirmation links to, on each site (see SITE_TOURS).
 */
describe('a person schedules a card, changes it and cancels it', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_manage');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITE_TOURS)(
    '$label',
    async ({ site, screen }) => {
      const tab = await stack.open(screen);
      const { page } = tab;
      await page.goto(`${stack.origin(site)}/`);
      await page.locator('main a[href^="/cards/"]').first().click();
      await page.locator('main a[href$="/send"]').first().click();
      await page.waitForURL(/\/send$/);

      await page.fill('#senderName', 'Dee Planner');
      await page.fill('#senderEmail', uniqueEmail('dee'));
      await page.fill('#recipients-0-name', 'Eve');
      await page.fill('#recipients-0-email', uniqueEmail('eve'));
      await page.fill('#message', 'See you next week!');
      await page.fill('#sendDate', nextWeek());
      await page.fill('#sendTime', '09:00');
      await page.getByRole('button', { name: 'Send card' }).last().click();
      await page.waitForURL(/\/sent\//);
      await expect(page.locator('h1').innerText()).resolves.toMatch(/scheduled/i);

      await page.getByRole('link', { name: /change or cancel/i }).click();
      await page.waitForURL(/\/manage\//);
      const body = await page.locator('main').innerText();
      expect(body).toContain('Eve');
      expect(body).toMatch(/scheduled/i);
      await snapshot(page, `manage-${site.id}-${screen.name}`);

      await page.fill('#message', 'Changed my mind: see you on Friday!');
      await page.getByRole('button', { name: /save changes/i }).click();
      await expect(page.getByRole('status').innerText()).resolves.toMatch(/saved/i);
      await expect(page.inputValue('#message')).resolves.toBe(
        'Changed my mind: see you on Friday!',
      );

      await page.getByRole('button', { name: /cancel this card/i }).click();
      await expect(page.locator('h1').innerText()).resolves.toMatch(/cancelled/i);
      await expect(page.getByRole('button', { name: /save changes/i }).count()).resolves.toBe(0);

      tab.assertClean();
      await tab.close();
    },
    60_000,
  );
});
