import type { Page } from 'playwright-core';
import { uniqueEmail } from '../support/db.js';
import { send } from '../support/http-client.js';
import {
  type BrowserStack,
  SCREENS,
  type Screen,
  SITES,
  type SiteUnderTest,
  startBrowserStack,
} from './support/browser-stack.js';
import { loadAxeWithEveryPage, seriousViolations } from './support/accessibility.js';
import { linkTo, mailTo } from './support/mailbox.js';

/** The private pages of one greeting per site, made through the send API before the tests. */
interface PrivatePages {
  pickup: string;
  manage: string;
  unsubscribe: string;
}

/** A violation as the report shows it: which rule, how bad, where. */
interface Finding {
  page: string;
  rule: string;
  impact: string;
  targets: string[];
}

/**
 * Every public page on every site, at desktop and phone width, checked with axe-core: no
 * serious or critical violation. The compose form is filled and sent by keyboard alone, and
 * every element the Tab key reaches shows where the focus is.
 */
describe('pages everyone can use', () => {
  let stack: BrowserStack;
  const privatePages = new Map<string, PrivatePages>();

  beforeAll(async () => {
    stack = await startBrowserStack('browser_a11y');
    await Promise.all(
      SITES.map(async (site) => privatePages.set(site.id, await greetingPages(stack, site))),
    );
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITES)(
    '$id on desktop and phone',
    async (site) => {
      const own = privatePages.get(site.id) as PrivatePages;
      const walks: Walk[] = [];
      for (const screen of SCREENS) walks.push(await walkEveryPage(stack, site, screen, own));
      for (const walk of walks) {
        expect(walk).toEqual({ screen: walk.screen, findings: [], unfocused: [] });
      }
    },
    240_000,
  );
});

/** What one walk through a site's public pages on one screen found wrong. */
interface Walk {
  screen: string;
  findings: Finding[];
  /** Elements the Tab key reached that showed no sign of having the focus. */
  unfocused: string[];
}

/**
 * Every public page of a site, checked with axe-core, and the compose form filled in, sent
 * half-filled, put right and sent again by keyboard alone, never touching the mouse.
 */
async function walkEveryPage(
  stack: BrowserStack,
  site: SiteUnderTest,
  screen: Screen,
  own: PrivatePages,
): Promise<Walk> {
  const tab = await stack.open(screen);
  const { page } = tab;
  await loadAxeWithEveryPage(page);
  const origin = stack.origin(site);
  const findings: Finding[] = [];
  const check = async (name: string, url?: string) => {
    if (url !== undefined) await page.goto(`${origin}${url}`);
    const found = await seriousViolations(page);
    findings.push(...found.map((v) => ({ page: `${name} (${screen.name})`, ...v })));
  };

  await check('home', '/');
  await check('occasions', '/occasions');
  const occasion =
    (await page.locator('main a[href^="/occasions/"]').first().getAttribute('href')) ??
    '/occasions/birthday';
  await check('occasion', occasion);
  // The biggest occasion runs to several pages: its first and last show a disabled link each.
  const status = await page.locator('.pagination-status').textContent();
  const lastPage = Number(/ of (\d+)/.exec(status ?? '')?.[1]);
  expect(lastPage).toBeGreaterThan(1);
  expect(await page.locator('.pagination-prev.is-disabled').count()).toBe(1);
  await check('occasion, last page', `${occasion}?page=${lastPage}`);
  expect(await page.locator('.pagination-next.is-disabled').count()).toBe(1);
  await page.goto(`${origin}${occasion}`);
  const card = await page.locator('main a[href^="/cards/"]').first().getAttribute('href');
  await check('card', card ?? '/');
  expect(await page.locator('main img.card-image').getAttribute('alt')).toMatch(/ card\b/);
  await check('search', '/search');
  await check('search results', '/search?q=birthday');
  await check('search without results', '/search?q=zzyzxqq');
  await check('not found', '/cards/no-such-card');

  await page.goto(`${origin}${card ?? '/'}/send`);
  await check('compose');
  const unfocused: string[] = [];
  await tabTo(page, '#senderName', unfocused);
  await page.keyboard.type('Ann Example');
  await tabTo(page, 'button.button-large[value="send"]', unfocused);
  await Promise.all([page.waitForURL(/\/send/), page.keyboard.press('Enter')]);
  await page.locator('#error-summary').waitFor();
  await check('compose with errors');
  await tabTo(page, '#senderEmail', unfocused);
  await page.keyboard.type(uniqueEmail('ann'));
  await tabTo(page, '#recipients-0-name', unfocused);
  await page.keyboard.type('Bob');
  await page.keyboard.press('Tab');
  await page.keyboard.type(uniqueEmail('bob'));
  await tabTo(page, '#message', unfocused);
  await page.keyboard.type('Sent with the keyboard alone.');
  await tabTo(page, 'button.button-large[value="send"]', unfocused);
  await Promise.all([page.waitForURL(/\/sent\//), page.keyboard.press('Enter')]);
  await check('confirmation');

  await check('pickup', own.pickup);
  await check('manage', own.manage);
  await check('unsubscribe', own.unsubscribe);

  tab.assertClean({ statuses: [400, 404] });
  await tab.close();
  return { screen: screen.name, findings, unfocused };
}

interface FocusProbe {
  done: boolean;
  name: string;
  visible: boolean;
}

/**
 * Run in the page (as source: this code is compiled without the browser's types): the focused
 * element, whether it matches `selector`, and whether it shows an outline or a box shadow.
 * Tab also steps through the parts of a date or time field: the field stays the focused one.
 */
function focusProbe(selector: string): string {
  return `(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { done: false, name: '', visible: true };
    // The focus style as it ends up: fields ease their ring in, and mid-transition it reads as none.
    for (const animation of element.getAnimations()) animation.finish();
    const style = getComputedStyle(element);
    const visible =
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== 'none';
    const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '');
    return { done: element.matches(${JSON.stringify(selector)}), name, visible };
  })()`;
}

/**
 * Presses Tab until the element matching `selector` has the focus, noting every element on
 * the way that shows no focus indicator (no outline and no box shadow while focused).
 */
async function tabTo(page: Page, selector: string, unfocused: string[]): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<FocusProbe>(focusProbe(selector));
    if (!focused.visible) unfocused.push(focused.name);
    if (focused.done) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/**
 * A greeting sent now (its pickup page and the unsubscribe link of its email) and one
 * scheduled (its manage page), through the send API: the pages under test are the recipient's
 * and the sender's, not the form's.
 */
async function greetingPages(stack: BrowserStack, site: SiteUnderTest): Promise<PrivatePages> {
  const list = await send(stack.port, {
    method: 'GET',
    url: '/api/cards?limit=1',
    host: site.host,
  });
  const cardSlug = list.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
  const post = async (extra: Record<string, unknown>) => {
    const recipient = uniqueEmail('reader');
    const res = await send(stack.port, {
      method: 'POST',
      url: '/api/greetings',
      host: site.host,
      payload: {
        cardSlug,
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bob', email: recipient }],
        message: 'A card for every reader.',
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    return {
      recipient,
      sent: res.json<{ manageUrl?: string; recipients: { pickupUrl: string }[] }>(),
    };
  };
  const now = await post({});
  const later = await post({ sendAt: `${new Date().getFullYear() + 1}-06-01T09:00` });
  const path = (url: string) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  };
  const mail = await mailTo(stack.sink, now.recipient);
  return {
    pickup: path(now.sent.recipients[0]?.pickupUrl ?? ''),
    manage: path(later.sent.manageUrl ?? ''),
    unsubscribe: path(linkTo(mail, '/unsubscribe/')),
  };
}
