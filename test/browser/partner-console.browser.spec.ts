import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { seriousViolations } from './support/accessibility.js';
import { type BrowserStack, snapshot, startBrowserStack } from './support/browser-stack.js';
import { onboardPartner } from './support/partner-onboarding.js';

/**
 * Onboarding a partner the way people do it, by clicks and keystrokes in Chromium: the first
 * operator follows the link the CLI printed, creates a partner and its site and invites its
 * admin; the admin follows the invite from the real mailbox, sets a password, rebrands the
 * site as a draft with an uploaded logo, previews it and publishes, makes an API key and
 * revokes it; the new host serves the branded home page with the logo. Any
 * console error, CSP report or refused request fails it.
 */
describe('the partner console onboards a partner', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_partners');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('from the operator to a branded live site', async () => {
    const hostname = 'cards.zeta.example';
    const { admin: partner } = await onboardPartner(
      stack,
      {
        partnerId: 'zeta',
        partnerName: 'Zeta Stationers',
        siteId: 'zeta-cards',
        siteName: 'Zeta Cards',
        hostname,
      },
      async (operator) => {
        await expect(operator.page.locator('#sites').innerText()).resolves.toContain('Zeta Cards');
      },
    );
    const { page } = partner;
    await page.fill('#f-brandName', 'Zeta Greetings');
    await page.fill('#f-heroTitle', 'Letters from Zeta');
    await page.fill('#f-themeColor', '#1f4e79');
    await page.fill('#f-accentColor', '#e4572e');
    await page.selectOption('#f-headingFont', 'slab-serif');
    await page.selectOption('#f-bodyFont', 'classic-serif');
    await page.check('#occasion-birthday');
    await page.click('#site-draft-submit');
    await page.waitForURL(/\?saved=1$/);
    const logo = await sharp({
      create: { width: 800, height: 200, channels: 4, background: '#1f4e79' },
    })
      .webp()
      .toBuffer();
    await page.setInputFiles('#f-logo', {
      name: 'zeta.webp',
      mimeType: 'image/webp',
      buffer: logo,
    });
    await page.click('#site-logo-submit');
    await page.waitForURL(/\?saved=1$/);
    await expect(page.locator('#draft-logo').evaluate(loadedWidth)).resolves.toBe(400);

    await page.click('#preview-link');
    await page.waitForURL(/\/preview$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Letters from Zeta');
    await expect(page.locator('.brand-logo').getAttribute('src')).resolves.toMatch(
      /^\/site-logos\//,
    );
    await page.goBack();
    await page.click('#site-publish-submit');
    await page.waitForURL(/\?published=2$/);
    await snapshot(page, 'partner-console-site');
    await expect(seriousViolations(page)).resolves.toEqual([]);

    await page.click('#keys-link');
    await page.fill('#f-name', 'Zeta CRM');
    await page.check('#scope-send');
    await page.click('#key-new-submit');
    await expect(page.locator('#key-secret').innerText()).resolves.toMatch(/^eck_[\w-]{43}$/);
    await page.click('button[aria-label="Revoke Zeta CRM"]');
    await page.waitForURL(/\/keys\?revoked=1$/);
    await expect(page.locator('#keys').innerText()).resolves.toContain('revoked');

    // The site's report, and its totals downloaded as CSV with the console session.
    await page.click('#nav-reports');
    await page.click('#report-range button[type=submit]');
    await expect(page.locator('#report-zeta-cards').innerText()).resolves.toContain('Sends');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href^="/admin/api/reports/zeta-cards.csv"][href*="table=totals"]'),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('metric,value');

    await page.goto(`http://${hostname}:${stack.port}/`);
    await expect(page.locator('main').innerText()).resolves.toContain('Letters from Zeta');
    await expect(page.title()).resolves.toContain('Zeta Greetings');
    await expect(page.locator('.brand-logo').evaluate(loadedWidth)).resolves.toBe(400);
    // The colours and typefaces chosen in the console, on the live site's own pages.
    const look = await page.evaluate<{
      brand: string;
      accent: string;
      heading: string;
      body: string;
    }>(LOOK);
    expect(look.brand).toBe('#1f4e79');
    expect(look.accent).toBe('#e4572e');
    expect(look.heading).toMatch(/^Rockwell/);
    expect(look.body).toMatch(/^Georgia/);
    partner.assertClean();
    await partner.close();
  }, 60_000);
});

/** Run in the page (as source: compiled without the browser's types): the site's look there. */
const LOOK = `(() => {
  const root = getComputedStyle(document.documentElement);
  return {
    brand: root.getPropertyValue('--brand').trim(),
    accent: root.getPropertyValue('--accent').trim(),
    heading: getComputedStyle(document.querySelector('h1')).fontFamily,
    body: getComputedStyle(document.body).fontFamily,
  };
})()`;

/** The width an image decoded to once loaded: 0 if it was refused or broken. */
async function loadedWidth(element: unknown): Promise<number> {
  const image = element as { decode(): Promise<void>; naturalWidth: number };
  await image.decode().catch(() => undefined);
  return image.naturalWidth;
}
