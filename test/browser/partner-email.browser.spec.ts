import { AxeBuilder } from '@axe-core/playwright';
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
    const password = 'a sturdy console passphrase';
    const adminEmail = uniqueEmail('xi-admin');
    const hostname = 'cards.xi.example';

    const operator = await stack.open(desktop);
    const op = operator.page;
    const printed = new URL(await operatorLink(stack.config, uniqueEmail('operator')));
    await op.goto(printed.href);
    await op.fill('#f-password', password);
    await op.click('#partner-set-password-submit');
    await op.waitForURL(/\/partner$/);
    await op.fill('#f-partnerId', 'xi');
    await op.fill('#f-partnerName', 'Xi Paper');
    await op.fill('#f-siteId', 'xi-cards');
    await op.fill('#f-siteName', 'Xi Cards');
    await op.fill('#f-hostname', hostname);
    await op.fill('#f-adminEmail', adminEmail);
    await op.click('#partner-create-submit');
    await op.waitForURL(/\/partner\?created=xi-cards$/);
    operator.assertClean();
    await operator.close();

    const partner = await stack.open(desktop);
    const { page } = partner;
    await page.goto(linkTo(await mailTo(stack.sink, adminEmail), '/partner/set-password'));
    await page.fill('#f-password', password);
    await page.click('#partner-set-password-submit');
    await page.waitForURL(/\/partner$/);
    await page.click('#site-xi-cards');
    await page.waitForURL(/\/partner\/sites\/xi-cards$/);
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
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length).toBeGreaterThan(0);
    expect(
      results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([]);

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
