import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createWebApp } from '../../src/http/web-app.js';
import { launchChromium } from '../support/browser.js';
import { uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { testConfig } from '../support/test-app.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

describe('a person sends a card in a real browser and the recipient opens it', () => {
  let browser: Browser;
  let close: () => Promise<void>;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    const app = await createWebApp(testConfig({ PORT: String(port) }));
    await app.listen({ port, host: '127.0.0.1' });
    close = () => app.close();
    base = `http://www.ecardia.example:${port}`;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('browses, composes, sends and picks up', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/`);
    expect(await page.title()).toContain('Ecardia');
    await page.locator('a[href="/occasions/birthday"]').first().click();
    await page.locator('a[href^="/cards/"]').first().click();
    await page.locator('a[href$="/send"]').first().click();
    await page.screenshot({ path: join(ARTIFACTS, 'compose.png'), fullPage: true });

    await page.fill('#senderName', 'Ann Example');
    await page.fill('#senderEmail', uniqueEmail('ann'));
    await page.fill('#recipients-0-name', 'Bob');
    await page.fill('#recipients-0-email', uniqueEmail('bob'));
    await page.fill('#message', 'Happy birthday, Bob!\n<b>Not bold</b>');
    await page.getByRole('button', { name: 'Send card' }).click();
    await page.waitForURL(/\/sent\//);
    await page.screenshot({ path: join(ARTIFACTS, 'confirmation.png'), fullPage: true });

    const pickupUrl = await page.locator('a.pickup-link').first().getAttribute('href');
    expect(pickupUrl).toMatch(/\/p\/[A-Za-z0-9_-]{44}$/);
    // The page's static script reports the open once the card is visible (no inline script,
    // so the CSP allows it); before delivery, as here, the site answers 202 and records nothing.
    const openCall = page.waitForResponse(
      (r) => r.url().endsWith('/opened') && r.request().method() === 'POST',
    );
    await page.goto(pickupUrl ?? '');
    expect((await openCall).status()).toBe(202);
    await expect(page.locator('.message').innerText()).resolves.toBe(
      'Happy birthday, Bob!\n<b>Not bold</b>',
    );
    await expect(page.locator('body').innerText()).resolves.toContain('Ann Example');
    await page.screenshot({ path: join(ARTIFACTS, 'pickup.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
