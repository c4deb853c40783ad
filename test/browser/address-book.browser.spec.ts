import { uniqueEmail } from '../support/db.js';
import {
  type BrowserStack,
  SCREENS,
  SITES,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';

const desktop = SCREENS[0];
const flagship = SITES[0];

/**
 * A member fills their address book and sends from it: adds a contact by hand, imports a small
 * CSV file, picks people on the compose form (the picker script fills the rows in place), sends,
 * and saves the one new recipient from the history in one click. Any console error, CSP report
 * or refused request fails it.
 */
describe('a member sends a card from the address book', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack('browser_address_book');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('adds, imports, picks and sends', async () => {
    const tab = await stack.open(desktop);
    const { page } = tab;
    const origin = stack.origin(flagship);
    const email = uniqueEmail('book-member');
    const password = 'a sturdy passphrase';
    const [ada, ben, cy] = [uniqueEmail('ada'), uniqueEmail('ben'), uniqueEmail('cy')];

    await page.goto(`${origin}/account/sign-up`);
    await page.fill('#displayName', 'Robin Book');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#sign-up-submit');
    await expect(page.locator('h1').innerText()).resolves.toBe('Check your email');
    await page.goto(`${origin}/account/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#sign-in-submit');
    await page.waitForURL(/\/account$/);

    await page.click('#address-book');
    await page.waitForURL(/\/account\/contacts$/);
    await page.click('#add-contact');
    await page.fill('#name', 'Ada Lovelace');
    await page.fill('#email', ada);
    await page.fill('#date-1', '1985-12-10');
    await page.click('#save-contact');
    await page.waitForURL(/\/account\/contacts$/);
    await expect(page.locator('.contact-dates').first().innerText()).resolves.toBe(
      'Birthday: 1985-12-10',
    );

    await page.click('#import-contacts');
    await page.setInputFiles('#file', {
      name: 'friends.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,email,groups\nBen Ink,${ben},Friends\nNo Address,,\n`),
    });
    await page.click('#import-submit');
    await expect(page.locator('#import-summary').innerText()).resolves.toBe(
      '1 added, 0 already in your address book, 1 not imported.',
    );
    await snapshot(page, 'address-book-import-report');
    await page.click('#import-done');
    await expect(page.locator('.contact-name').allInnerTexts()).resolves.toEqual([
      'Ada Lovelace',
      'Ben Ink',
    ]);

    // The compose form: the member's own, with the book to pick from.
    await page.goto(`${origin}/occasions/birthday`);
    await page.locator('main a[href^="/cards/"]').first().click();
    await page.waitForURL(/\/cards\/[^/]+$/);
    await page.locator('main a[href$="/send"]').first().click();
    await page.waitForURL(/\/send$/);
    await expect(page.inputValue('#senderName')).resolves.toBe('Robin Book');
    await page.getByLabel('Friends (1)').check();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.click('#add-contacts');
    await expect(page.inputValue('#recipients-0-email')).resolves.toBe(ada);
    await expect(page.inputValue('#recipients-1-email')).resolves.toBe(ben);
    await page.fill('#recipients-2-name', 'Cy New');
    await page.fill('#recipients-2-email', cy);
    await page.fill('#message', 'Happy birthday from the book!');
    await snapshot(page, 'address-book-compose');
    await page.getByRole('button', { name: 'Send card' }).last().click();
    await page.waitForURL(/\/sent\//);

    // Cy is new: one click in the history puts them in the book.
    await page.goto(`${origin}/account/history`);
    await page.getByRole('button', { name: 'Save Cy New to your address book' }).click();
    await page.waitForURL(/\/account\/history/);
    await expect(page.locator('.save-contact').count()).resolves.toBe(0);
    await page.goto(`${origin}/account/contacts`);
    await expect(page.locator('.contact-name').allInnerTexts()).resolves.toEqual([
      'Ada Lovelace',
      'Ben Ink',
      'Cy New',
    ]);
    await snapshot(page, 'address-book-contacts');
    await page.waitForLoadState('networkidle');
    tab.assertClean();
    await tab.close();
  }, 60_000);
});
