import { operatorLink } from '../../../src/partners/operator-cli.module.js';
import { uniqueEmail } from '../../support/db.js';
import { type BrowserStack, SCREENS, type WatchedPage } from './browser-stack.js';
import { linkTo, mailTo } from './mailbox.js';

/** A partner and its first site, as an operator types them into the console's form. */
export interface NewPartner {
  partnerId: string;
  partnerName: string;
  siteId: string;
  siteName: string;
  hostname: string;
}

export interface OnboardedPartner {
  /** The partner admin's tab, signed in, on the new site's editor. */
  admin: WatchedPage;
  adminEmail: string;
}

const PASSWORD = 'a sturdy console passphrase';

/**
 * An operator onboards a partner by clicks: follows the sign-in link the operator command
 * prints, sets a password, creates the partner and its first site and invites its admin; the
 * admin then follows the invitation from the real mailbox, sets a password and opens the site.
 * Each step that fails (a 403, a console error, a CSP report) fails the test that asked.
 */
export async function onboardPartner(
  stack: BrowserStack,
  partner: NewPartner,
  onOperatorPage?: (operator: WatchedPage) => Promise<void>,
): Promise<OnboardedPartner> {
  const desktop = SCREENS[0];
  const adminEmail = uniqueEmail(`${partner.partnerId}-admin`);
  const operator = await stack.open(desktop);
  const op = operator.page;
  const printed = new URL(await operatorLink(stack.config, uniqueEmail('operator')));
  await op.goto(printed.href);
  await op.fill('#f-password', PASSWORD);
  await op.click('#partner-set-password-submit');
  await op.waitForURL(/\/partner$/);
  await op.fill('#f-partnerId', partner.partnerId);
  await op.fill('#f-partnerName', partner.partnerName);
  await op.fill('#f-siteId', partner.siteId);
  await op.fill('#f-siteName', partner.siteName);
  await op.fill('#f-hostname', partner.hostname);
  await op.fill('#f-adminEmail', adminEmail);
  await op.click('#partner-create-submit');
  await op.waitForURL(new RegExp(`/partner\\?created=${partner.siteId}$`));
  await onOperatorPage?.(operator);
  operator.assertClean();
  await operator.close();

  const admin = await stack.open(desktop);
  const { page } = admin;
  await page.goto(linkTo(await mailTo(stack.sink, adminEmail), '/partner/set-password'));
  await page.fill('#f-password', PASSWORD);
  await page.click('#partner-set-password-submit');
  await page.waitForURL(/\/partner$/);
  await page.click(`#site-${partner.siteId}`);
  await page.waitForURL(new RegExp(`/partner/sites/${partner.siteId}$`));
  return { admin, adminEmail };
}
