import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { createWebApp } from '../../src/web-app.js';
import { uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { testConfig } from '../support/test-app.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

/**
 * A newcomer's first cards on a development run, in a browser that resolves `*.localhost` on
 * its own (no host mapping): the links the platform prints must open, a mistake is shown before
 * any challenge, and a spent limit says so apart from the field errors.
 */
describe('a developer sends cards on a development run in a real browser', () => {
  let browser: Browser;
  let close: () => Promise<void>;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const app = await createWebApp(
      testConfig({
        APP_STAGE: 'development',
        PORT: String(port),
        QUEUE_PREFIX: `first-day-${randomBytes(4).toString('hex')}`,
        // Tight limits, so one test reaches the challenge and the limit in a few cards.
        COMPOSE_MIN_FILL_SECONDS: '0',
        COMPOSE_CHALLENGE_AFTER: '1',
        RATE_LIMIT_IP_SENDS_PER_HOUR: '2',
      }),
    );
    await app.listen({ port, host: '127.0.0.1' });
    close = () => app.close();
    base = `http://kindred.localhost:${port}`;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  async function openForm(page: Page): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('a[href^="/cards/"]').first().click();
    await page.locator('a[href$="/send"]').first().click();
  }

  async function fill(page: Page, senderEmail: string): Promise<void> {
    await page.fill('#senderName', 'Ann Example');
    await page.fill('#senderEmail', senderEmail);
    await page.fill('#recipients-0-name', 'Bob');
    await page.fill('#recipients-0-email', uniqueEmail('bob'));
    await page.fill('#message', 'Happy birthday, Bob!');
  }

  const send = (page: Page) => page.getByRole('button', { name: 'Send card' }).last().click();

  it('sends, opens the pickup link, is challenged only once the fields are right, then limited', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A refused form is its page with a 400 or 429 status, which the console reports; any other
    // error, or a stylesheet, image or logo that does not load, is a problem.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        problems.push(m.text());
      }
    });
    page.on('response', (r) => {
      const type = r.request().resourceType();
      if (r.status() >= 400 && type !== 'document') problems.push(`${r.status()} ${r.url()}`);
    });
    const sender = uniqueEmail('ann');

    // First card: the confirmation page's link opens the card on this machine.
    await openForm(page);
    await fill(page, sender);
    await send(page);
    await page.waitForURL(/\/sent\//);
    const pickup = page.locator('a.pickup-link').first();
    expect(await pickup.getAttribute('href')).toMatch(/^http:\/\/kindred\.localhost:\d+\/p\//);
    await pickup.click();
    await page.waitForURL(/\/p\//);
    await page.getByRole('button', { name: 'Open your card' }).click();
    await page.locator('.pickup.is-open').waitFor();
    await expect(page.locator('.message').innerText()).resolves.toBe('Happy birthday, Bob!');

    // Second card with a typo while attempts spike: the field error, no question.
    await openForm(page);
    await fill(page, 'ann-at-example');
    await send(page);
    await expect(page.locator('#error-summary').innerText()).resolves.toContain(
      'Please check the highlighted fields',
    );
    expect(await page.locator('#challengeAnswer').count()).toBe(0);
    expect(await page.locator('#senderEmail').getAttribute('aria-invalid')).toBe('true');

    // Fixed: the browser meets the challenge in the background (no question), the card goes.
    await page.fill('#senderEmail', sender);
    await send(page);
    await page.waitForURL(/\/sent\//);

    // Third card in the hour: the limit's notice, nothing highlighted.
    await openForm(page);
    await fill(page, sender);
    await send(page);
    const notice = await page.locator('#form-refusal').innerText();
    expect(notice).toContain('Your card has not been sent');
    expect(notice).toMatch(
      /You have sent 2 cards from your connection in the last hour, the most we allow\. You can send again at \d{1,2}:\d{2}/,
    );
    expect(await page.locator('#error-summary').count()).toBe(0);
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    expect(await page.inputValue('#senderEmail')).toBe(sender);
    await page.screenshot({ path: join(ARTIFACTS, 'send-limit.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);
});
