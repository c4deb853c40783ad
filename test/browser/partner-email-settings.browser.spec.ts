import sharp from 'sharp';
import { seriousViolations } from './support/accessibility.js';
import { type BrowserStack, snapshot, startBrowserStack } from './support/browser-stack.js';
import { onboardPartner } from './support/partner-onboarding.js';

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
    const hostname = 'cards.omega.example';
    const { admin: partner } = await onboardPartner(stack, {
      partnerId: 'omega',
      partnerName: 'Omega Paper',
      siteId: 'omega-cards',
      siteName: 'Omega Cards',
      hostname,
    });
    const { page } = partner;
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
