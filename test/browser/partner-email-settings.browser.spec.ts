import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import { uniqueEmail } from '../support/db.js';
import {
  type BrowserStack,
  SCREENS,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';
import { linkTo, mailTo } from './support/mailbox.js';

const desktop = SCREENS[0];

/**
 * A partner admin's email settings by clicks in Chromium: the draft's greeting email opened
 * from the site editor (its HTML in a sandboxed frame, with the draft's logo and the card from
 * the site's own host), then a bounce domain typed wrong, typed right and published. Any
 * console error, CSP report or refused request the test did not ask for fails it.
 */
describe('the partner console previews the greeting email and sets the bounce domain', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_email_settings');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('from the draft to its email, and from the email page to a live bounce domain', async () => {
    const password = 'a sturdy console passphrase';
    const adminEmail = uniqueEmail('omega-admin');
    const hostname = 'cards.omega.example';

    const operator = await stack.open(desktop);
    const op = operator.page;
    const printed = new URL(await operatorLink(stack.config, uniqueEmail('operator')));
    await op.goto(printed.href);
    await op.fill('#f-password', password);
    await op.click('#partner-set-password-submit');
    await op.waitForURL(/\/partner$/);
    await op.fill('#f-partnerId', 'omega');
    await op.fill('#f-partnerName', 'Omega Paper');
    await op.fill('#f-siteId', 'omega-cards');
    await op.fill('#f-siteName', 'Omega Cards');
    await op.fill('#f-hostname', hostname);
    await op.fill('#f-adminEmail', adminEmail);
    await op.click('#partner-create-submit');
    await op.waitForURL(/\/partner\?created=omega-cards$/);
    operator.assertClean();
    await operator.close();

    const partner = await stack.open(desktop);
    const { page } = partner;
    await page.goto(linkTo(await mailTo(stack.sink, adminEmail), '/partner/set-password'));
    await page.fill('#f-password', password);
    await page.click('#partner-set-password-submit');
    await page.waitForURL(/\/partner$/);
    await page.click('#site-omega-cards');
    await page.waitForURL(/\/partner\/sites\/omega-cards$/);
    await page.fill('#f-brandName', 'Omega Greetings');
    await page.fill('#f-fromName', 'Omega Post Room');
    await page.fill('#f-themeColor', '#1f4e79');
    await page.click('#site-draft-submit');
    await page.waitForURL(/\?saved=1$/);
    const logo = await sharp({
      create: { width: 600, height: 150, channels: 4, background: '#1f4e79' },
    })
      .png()
      .toBuffer();
    await page.setInputFiles('#f-logo', { name: 'omega.png', mimeType: 'image/png', buffer: logo });
    await page.click('#site-logo-submit');
    await page.waitForURL(/\?saved=1$/);

    await page.click('#preview-email-link');
    await page.waitForURL(/\/partner\/sites\/omega-cards\/preview\/email$/);
    await expect(page.locator('#email-preview-from').innerText()).resolves.toBe(
      `Omega Post Room <greetings@${hostname}>`,
    );
    await expect(page.locator('#email-preview-text').inputValue()).resolves.toContain(
      'from Omega Greetings.',
    );
    const email = page.frameLocator('#email-preview-frame');
    await expect(email.locator('body').innerText()).resolves.toContain('Omega Greetings');
    // The draft's logo and the card's drawing, both from the site's own host, as mail shows them.
    const images = email.locator('img');
    await expect(images.count()).resolves.toBe(2);
    for (const image of await images.all()) {
      await expect(image.evaluate(loadedWidth)).resolves.toBeGreaterThan(0);
      await expect(image.getAttribute('src')).resolves.toMatch(
        new RegExp(`^http://${hostname.replace(/\./g, '\\.')}:${stack.port}/`),
      );
    }
    await snapshot(page, 'partner-console-email-preview');
    // axe cannot run inside the frame (no scripts there, by design): the console page around it.
    await expect(seriousViolations(page, '#email-preview-frame')).resolves.toEqual([]);
    // On its own too (a person without frames): no script of the page's or the test's runs in
    // it, so the test reads what the browser was served.
    const [opened] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/preview/email/html')),
      page.click('#email-preview-html-link'),
    ]);
    await page.waitForURL(/\/preview\/email\/html$/);
    expect(opened.status()).toBe(200);
    await expect(opened.text()).resolves.toContain('<strong>Alex Sample</strong>');
    await page.goBack();

    await page.click('a[href="/partner/sites/omega-cards"]');
    await page.click('#email-link');
    await page.waitForURL(/\/partner\/sites\/omega-cards\/email$/);
    await page.fill('#f-bounceDomain', 'bounces.someone-else.example');
    await page.click('#bounce-domain-submit');
    await expect(page.locator('#f-bounceDomain-error').innerText()).resolves.toContain(
      `Bounce domain: must be a subdomain of ${hostname}`,
    );
    await expect(page.locator('#f-bounceDomain').inputValue()).resolves.toBe(
      'bounces.someone-else.example',
    );
    const mine = `bounces.${hostname}`;
    await page.fill('#f-bounceDomain', mine);
    await page.click('#bounce-domain-submit');
    await page.waitForURL(/\/email\?bounce=drafted#bounce-domain$/);
    await expect(page.locator('#draft-bounce-domain').innerText()).resolves.toBe(mine);
    await expect(page.locator('#spf-advice').innerText()).resolves.toContain(
      'so SPF aligns for DMARC',
    );
    await expect(seriousViolations(page)).resolves.toEqual([]);
    // The draft's email goes out with its Return-Path on the new name once published.
    await page.click('#email-preview-link');
    await page.waitForURL(/\/preview\/email$/);
    await expect(page.locator('#email-preview-return-path').innerText()).resolves.toMatch(
      new RegExp(`^r-[0-9a-f]{24}-0{32}@${mine.replace(/\./g, '\\.')}$`),
    );
    await page.goBack();
    await page.click('#email-publish-submit');
    await page.waitForURL(/\/partner\/sites\/omega-cards\?published=2$/);
    await page.click('#email-link');
    await expect(page.locator('#live-bounce-domain').innerText()).resolves.toBe(mine);
    await expect(page.locator('#draft-bounce-domain').count()).resolves.toBe(0);
    // The refused form answered 400, as asked; nothing else went wrong.
    partner.assertClean({ statuses: [400] });
    await partner.close();
  }, 90_000);
});

/** The width an image decoded to once loaded: 0 if it was refused or broken. */
async function loadedWidth(element: unknown): Promise<number> {
  const image = element as { decode(): Promise<void>; naturalWidth: number };
  await image.decode().catch(() => undefined);
  return image.naturalWidth;
}

/** Serious and critical accessibility problems axe-core finds on the page as it is now. */
async function seriousViolations(page: Page, sandboxedFrame?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  if (sandboxedFrame) axe.exclude(sandboxedFrame);
  const results = await axe.analyze();
  expect(results.passes.length).toBeGreaterThan(0);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
