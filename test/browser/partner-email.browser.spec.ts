import { seriousViolations } from './support/accessibility.js';
import { type BrowserStack, snapshot, startBrowserStack } from './support/browser-stack.js';
import { onboardPartner } from './support/partner-onboarding.js';

/**
 * A partner admin gives their brand its own DKIM key by clicks in Chromium: from the site
 * editor to the email page, makes a key, reads the DNS record to publish, activates it and
 * rotates to a second one. Any console error, CSP report or refused request fails it.
 */
describe('the partner console makes a brand its own DKIM key', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_dkim');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('shows the DNS record to publish, activates the key and rotates it', async () => {
    const hostname = 'cards.xi.example';
    const { admin: partner } = await onboardPartner(stack, {
      partnerId: 'xi',
      partnerName: 'Xi Paper',
      siteId: 'xi-cards',
      siteName: 'Xi Cards',
      hostname,
    });
    const { page } = partner;
    await page.click('#email-link');
    await page.waitForURL(/\/partner\/sites\/xi-cards\/email$/);
    await expect(page.locator('#no-keys').isVisible()).resolves.toBe(true);
    await expect(page.locator('#sending-domains').innerText()).resolves.toContain(
      `greetings@${hostname}`,
    );

    await page.click('#key-generate-submit');
    await page.waitForURL(/\/email\?made=ecard\d{6}#key-ecard\d{6}$/);
    const selector = new URL(page.url()).searchParams.get('made') ?? '';
    const record = await page.locator(`#record-${selector}`).inputValue();
    expect(record).toMatch(
      new RegExp(
        `^${selector}\\._domainkey\\.${hostname.replace(/\./g, '\\.')}\\. IN TXT "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+`,
      ),
    );
    // A 2048-bit key does not fit one TXT string: the record is split as a zone file takes it.
    expect(record.match(/"/g)?.length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('#dmarc-record').inputValue()).resolves.toContain(
      `_dmarc.${hostname}. IN TXT "v=DMARC1; p=none;`,
    );
    await snapshot(page, 'partner-console-email');
    await expect(seriousViolations(page)).resolves.toEqual([]);

    await page.click(`button[aria-label="Activate key ${selector}"]`);
    await page.waitForURL(/\/email\?activated=1$/);
    await expect(page.locator(`#key-${selector}-title`).innerText()).resolves.toMatch(/active$/);

    // Rotation: the new key waits for its record while the old one goes on signing.
    await page.click('#key-generate-submit');
    await page.waitForURL(/\/email\?made=ecard\d{6}b#key-ecard\d{6}b$/);
    await expect(page.locator(`#key-${selector}-title`).innerText()).resolves.toMatch(/active$/);
    await expect(page.locator(`#key-${selector}b-title`).innerText()).resolves.toContain(
      'waiting for its DNS record',
    );
    await page.click(`button[aria-label="Activate key ${selector}b"]`);
    await page.waitForURL(/\/email\?activated=1$/);
    await expect(page.locator(`#key-${selector}-title`).innerText()).resolves.toMatch(/retired$/);
    await expect(page.locator(`#key-${selector}b-title`).innerText()).resolves.toMatch(/active$/);

    await page.click('#nav-audit');
    const audit = await page.locator('main').innerText();
    expect(audit).toContain('dkim-key.generate');
    expect(audit).toContain('dkim-key.activate');
    partner.assertClean();
    await partner.close();
  }, 60_000);
});
