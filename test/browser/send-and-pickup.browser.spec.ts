import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { uniqueEmail } from '../support/db.js';
import { send } from '../support/http-client.js';
import {
  type BrowserStack,
  SITE_TOURS,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';
import { linkTo, mailTo } from './support/mailbox.js';

/**
 * A person on each site, the screens taking turns (SITE_TOURS): browses to a card, gets the form wrong,
 * puts it right, adds a photo of their own, sends to two people; each recipient opens the email's link, and one of them
 * stops the site's emails from the link in theirs. Every step is a click or a keystroke.
 */
describe('a person sends a card and the recipients open it', () => {
  let stack: BrowserStack;
  let photo: Buffer;

  /** The width of the photo as the browser decoded it: 0 when it did not load. */
  const photoWidth = (page: Page) =>
    page.locator('.pickup-photo-image').evaluate(async (img) => {
      const image = img as unknown as { decode(): Promise<void>; naturalWidth: number };
      await image.decode();
      return image.naturalWidth;
    });

  beforeAll(async () => {
    stack = await startBrowserStack('browser_send');
    photo = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#e0a040' },
    })
      .jpeg()
      .toBuffer();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITE_TOURS)(
    '$label',
    async ({ site, screen, label }) => {
      const tab = await stack.open(screen);
      const { page } = tab;
      await page.goto(`${stack.origin(site)}/`);
      await expect(page.title()).resolves.toContain(site.brand);

      // Home -> an occasion -> a card -> its compose form, by the links a person sees.
      await page.locator('main a[href^="/occasions/"]').first().click();
      await page.waitForURL(/\/occasions\//);
      await page.locator('main a[href^="/cards/"]').first().click();
      await page.waitForURL(/\/cards\/[^/]+$/);
      await page.locator('main a[href$="/send"]').first().click();
      await page.waitForURL(/\/send$/);

      // Sent empty: every problem is named and nothing is sent.
      await page.getByRole('button', { name: 'Send card' }).last().click();
      const summary = page.locator('#error-summary');
      await expect(summary.isVisible()).resolves.toBe(true);
      const problems = await summary.innerText();
      expect(problems).toMatch(/name/i);
      expect(problems).toMatch(/email/i);
      expect(problems).toMatch(/message/i);

      // Two more rows, then the person changes their mind about the last one.
      const rows = page.locator('.recipient-row');
      const before = await rows.count();
      await page.getByRole('button', { name: 'Add another recipient' }).click();
      await page.getByRole('button', { name: 'Add another recipient' }).click();
      await expect(rows.count()).resolves.toBe(before + 2);
      await page.getByRole('button', { name: `Remove recipient ${before + 2}` }).click();
      await expect(rows.count()).resolves.toBe(before + 1);
      await expect(page.locator('.recipient-title').last().textContent()).resolves.toBe(
        `Recipient ${before + 1}`,
      );

      const ann = uniqueEmail('ann');
      const bob = uniqueEmail('bob');
      const cat = uniqueEmail('cat');
      await page.fill('#senderName', 'Ann Example');
      await page.fill('#senderEmail', ann);
      await page.fill('#recipients-0-name', 'Bob');
      await page.fill('#recipients-0-email', bob);
      await page.fill('#recipients-1-name', 'Cat');
      await page.fill('#recipients-1-email', cat);
      await page.fill('#message', `Happy days from ${label}!\n<b>Not bold</b>`);
      // Ann writes in a hand and ink of her own and watches the message take them on.
      await page.getByLabel('Handwritten').check();
      await page.getByLabel('Navy blue').check();
      await page.setInputFiles('#photo', {
        name: 'beach.jpg',
        mimeType: 'image/jpeg',
        buffer: photo,
      });
      const live = page.locator('#live-preview-message');
      await expect(live.getAttribute('class')).resolves.toBe('message font-handwritten ink-navy');
      await expect(live.innerText()).resolves.toBe(`Happy days from ${label}!\n<b>Not bold</b>`);
      await snapshot(page, `compose-${site.id}-${screen.name}`);

      // The preview shows the email and the opened card; "Edit" brings back everything typed.
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: 'Preview your card' }).waitFor();
      await expect(
        page.locator('.preview-email-image').evaluate(async (img) => {
          const image = img as unknown as { decode(): Promise<void>; naturalWidth: number };
          await image.decode();
          return image.naturalWidth;
        }),
      ).resolves.toBe(600);
      await expect(photoWidth(page)).resolves.toBe(400);
      await snapshot(page, `preview-${site.id}-${screen.name}`);
      await page.getByRole('button', { name: 'Edit' }).click();
      await expect(page.inputValue('#message')).resolves.toBe(
        `Happy days from ${label}!\n<b>Not bold</b>`,
      );
      await expect(page.inputValue('#recipients-1-email')).resolves.toBe(cat);
      await expect(page.getByLabel('Navy blue').isChecked()).resolves.toBe(true);
      await expect(page.getByText('This photo goes on your card.').isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: 'Preview your card' }).waitFor();
      await page.getByRole('button', { name: 'Send card' }).last().click();
      await page.waitForURL(/\/sent\//);
      await expect(page.locator('body').innerText()).resolves.toContain('Bob');
      await expect(page.locator('body').innerText()).resolves.toContain('Cat');
      await snapshot(page, `confirmation-${site.id}-${screen.name}`);

      // Bob opens his card from the email's link, on this machine.
      const bobsMail = await mailTo(stack.sink, bob);
      const pickup = linkTo(bobsMail, '/p/');
      expect(new URL(pickup).host).toBe(`${site.host}:${stack.port}`);
      await page.goto(pickup);
      // The card waits in its envelope until Bob opens it; opening it is what tells the site.
      await expect(page.locator('.envelope').isVisible()).resolves.toBe(true);
      await expect(page.locator('.message').isVisible()).resolves.toBe(false);
      await snapshot(page, `pickup-sealed-${site.id}-${screen.name}`);
      const opened = page.waitForResponse((r) => r.url().endsWith('/opened'));
      await page.getByRole('button', { name: 'Open your card' }).click();
      const openAnswer = (await opened).status();
      expect([202, 204]).toContain(openAnswer);
      await page.locator('.pickup.is-open').waitFor();
      await expect(page.locator('.envelope').isVisible()).resolves.toBe(false);
      await expect(page.locator('#pickup-card:focus').count()).resolves.toBe(1);
      await expect(page.locator('.message').getAttribute('class')).resolves.toBe(
        'message font-handwritten ink-navy',
      );
      await expect(page.locator('.message').innerText()).resolves.toBe(
        `Happy days from ${label}!\n<b>Not bold</b>`,
      );
      await expect(page.locator('body').innerText()).resolves.toContain('Ann Example');
      // Ann's photo, through Bob's own pickup link (at the density of his screen).
      await expect(photoWidth(page)).resolves.toBeGreaterThan(0);
      await snapshot(page, `pickup-${site.id}-${screen.name}`);
      for (const link of ['Send a card back', 'Send this card to someone else']) {
        await expect(page.getByRole('link', { name: link }).isVisible()).resolves.toBe(true);
      }
      if (openAnswer === 204) {
        // Opened before: the next visit shows the card at once.
        await page.reload();
        expect(await page.locator('.envelope').count()).toBe(0);
        await expect(page.locator('.message').isVisible()).resolves.toBe(true);
      }

      // Cat wants no more cards: the email's unsubscribe link, then the page's button.
      const catsMail = await mailTo(stack.sink, cat);
      await page.goto(linkTo(catsMail, '/unsubscribe/'));
      await page.getByRole('button', { name: /stop emails/i }).click();
      await expect(page.locator('h1').innerText()).resolves.toMatch(/not get ecards/i);

      // Bob's mail provider offers one-click unsubscribe (RFC 8058): its server posts to the
      // header's URL, with no browser involved.
      const oneClick = /^List-Unsubscribe:\s*<(https?:[^>]+)>/im.exec(bobsMail.rawHeaders)?.[1];
      expect(bobsMail.rawHeaders).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
      const target = new URL(oneClick ?? 'http://missing');
      const answer = await send(stack.port, {
        method: 'POST',
        url: target.pathname,
        host: target.host,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(answer.statusCode).toBeLessThan(300);

      // The one error answer is the form sent empty on purpose, shown again with its messages.
      tab.assertClean({ statuses: [400] });
      await tab.close();
    },
    90_000,
  );
});
