import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { startObservedApp, type ObservedApp } from '../ops/support/observed-app.js';
import { launchChromium, signInAsOperator, watchProblems } from '../support/browser.js';
import { uniqueEmail } from '../support/db.js';
import { send } from '../support/http-client.js';
import { apiGreeting } from '../security/support.js';

const ADMIN_TOKEN = 'development-only-admin-token';

/**
 * The private forms as a person uses them: the buttons of the manage, unsubscribe and admin
 * flags pages clicked in Chromium, which posts them with whatever Origin and Fetch Metadata
 * the page's referrer policy and the host's security give (an HTTP client never does). Over
 * plain HTTP (`.example`) and in a secure context (`.localhost`, as over HTTPS).
 */
describe('a person uses the private forms in a real browser', () => {
  let browser: Browser;
  let t: ObservedApp;
  let port: number;
  let links: SignedLinks;
  let card: string;

  beforeAll(async () => {
    t = await startObservedApp({
      FLAGS_NAMESPACE: `t-browser-forms-${randomBytes(4).toString('hex')}`,
    });
    port = (t.app.getHttpServer().address() as { port: number }).port;
    links = new SignedLinks(t.config.pickupTokenSecret);
    const cards = await send(port, {
      method: 'GET',
      url: '/api/cards?occasion=birthday&limit=1',
      host: 'kindred.localhost',
    });
    card = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Sends a card through the API; answers its manage path and its recipient's id. */
  async function sendCard(host: string, scheduled: boolean) {
    const year = new Date().getUTCFullYear() + 1;
    const res = await send(port, {
      method: 'POST',
      url: '/api/greetings',
      host,
      payload: {
        ...apiGreeting(card, uniqueEmail('ann')),
        ...(scheduled ? { sendAt: `${year}-03-01T09:00` } : {}),
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ manageUrl?: string; recipients: { pickupUrl: string }[] }>();
    const manage = body.manageUrl ? new URL(body.manageUrl) : null;
    const pickup = new URL(body.recipients[0]?.pickupUrl ?? '');
    return {
      managePath: manage ? manage.pathname + manage.search : '',
      recipientId: links.recipientIdOf(pickup.pathname.slice(3)) ?? '',
    };
  }

  async function finish(page: Page, problems: string[]): Promise<void> {
    await page.close();
    expect(problems).toEqual([]);
  }

  it.each(['cards.kindredpaper.example', 'kindred.localhost'])(
    'changes, then cancels, a scheduled card on %s',
    async (host) => {
      const { managePath } = await sendCard(host, true);
      const page = await browser.newPage();
      const problems = watchProblems(page);
      await page.goto(`http://${host}:${port}${managePath}`);
      await page.fill('#message', 'A changed message');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Your changes are saved.').waitFor();
      await expect(page.inputValue('#message')).resolves.toBe('A changed message');
      await page.getByRole('button', { name: 'Cancel this card' }).click();
      await page.getByText('Your card is cancelled.').waitFor();
      await finish(page, problems);
    },
    30_000,
  );

  it.each(['cards.kindredpaper.example', 'kindred.localhost'])(
    'stops emails with the unsubscribe button on %s',
    async (host) => {
      const { recipientId } = await sendCard(host, false);
      const page = await browser.newPage();
      const problems = watchProblems(page);
      const token = links.recipientToken('unsubscribe', recipientId);
      await page.goto(`http://${host}:${port}/unsubscribe/${token}`);
      await page.getByRole('button', { name: 'Stop emails to this address' }).click();
      await page.getByText('You will not get ecards from us again').waitFor();
      await finish(page, problems);
    },
    30_000,
  );

  it.each(['www.ecardia.example', 'ecardia.localhost'])(
    'flips a flag on the admin page on %s',
    async (host) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signInAsOperator(page, `http://${host}:${port}`, ADMIN_TOKEN);
      await page.goto(`http://${host}:${port}/admin/flags?site=kindred`);
      const row = page.locator('tr', { has: page.locator('code', { hasText: /^relatedCards$/ }) });
      await row.locator('input[name="reason"]').fill('browser test');
      await row.getByRole('button', { name: 'Remove override' }).click();
      await page.getByText('relatedCards override removed (kindred).').waitFor();
      await finish(page, problems);
      await context.close();
    },
    30_000,
  );

  it('reports a CSP refusal on a private page to the log, without the link', async () => {
    const { recipientId } = await sendCard('www.ecardia.example', false);
    const token = links.recipientToken('unsubscribe', recipientId);
    const page = await browser.newPage();
    await page.goto(`http://www.ecardia.example:${port}/unsubscribe/${token}?from=mail`);
    // An inline script, as an injected one would be: the policy refuses it and reports it.
    await page.addScriptTag({ content: 'window.injected = true' }).catch(() => undefined);
    await expect(page.evaluate("'injected' in window")).resolves.toBe(false);
    const deadline = Date.now() + 10_000;
    const reported = () => t.lines().filter((line) => line.event === 'csp-violation');
    while (reported().length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(reported()).toEqual([
      expect.objectContaining({
        document: '/unsubscribe/:token',
        directive: 'script-src-elem',
        blocked: 'inline',
      }),
    ]);
    expect(t.output.join('\n')).not.toContain(token);
    await page.close();
  }, 30_000);
});
