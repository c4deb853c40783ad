import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { signInAsOperator } from '../support/browser.js';
import { DEV_ADMIN_TOKEN, hiddenField } from '../support/browser-forms.js';
import { uniqueEmail } from '../support/db.js';
import { HOSTS } from '../support/test-app.js';
import type { SiteReport } from '../../src/reports/report-model.js';
import {
  type BrowserStack,
  SCREENS,
  SITES,
  snapshot,
  startBrowserStack,
} from './support/browser-stack.js';

const FLAGSHIP = SITES[0];
const DESKTOP = SCREENS[0];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

// Run in the page, as source: this code is compiled without the browser's types.
/** How many pixels of the chart's canvas hold ink. */
const INKED_PIXELS = `(() => {
  const c = document.querySelector('#report-chart canvas');
  const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
  return n;
})()`;
/** The border style of each legend marker: how the legend shows each line's pattern. */
const MARKER_STYLES = `[...document.querySelectorAll('#report-chart .u-legend .u-series .u-marker')]
  .map((m) => getComputedStyle(m).borderTopStyle)`;

interface Reply {
  status: number;
  body: string;
}

/**
 * An operator reads a partner's report in Chromium: the greetings behind it are sent, bounced,
 * opened and unsubscribed through the platform's own paths, the worker rolls them up, and the
 * page shows the figures as a chart (drawn, its legend naming each line), tables and a CSV that
 * downloads and says the same.
 */
describe('the report page in a real browser', () => {
  let stack: BrowserStack;

  /** A request as a mail client or partner system makes it, to the site's real host name. */
  function call(
    method: string,
    path: string,
    options: { host?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: stack.port,
          method,
          path,
          headers: { host: options.host ?? HOSTS.partner, ...options.headers },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  async function send(card: string, recipients: string[]) {
    const res = await call('POST', '/api/greetings', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cardSlug: card,
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: recipients.map((email, i) => ({ name: `Friend ${i + 1}`, email })),
        message: 'Happy birthday!',
      }),
    });
    expect(res.status).toBe(201);
    return JSON.parse(res.body) as { recipients: { email: string; pickupUrl: string }[] };
  }

  async function totals(day: string): Promise<Record<string, number>> {
    const res = await call('GET', `/admin/api/reports/kindred.json?from=${day}&to=${day}`, {
      host: HOSTS.flagship,
      headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const report = JSON.parse(res.body) as SiteReport;
    return Object.fromEntries(report.totals.map((t) => [t.key, t.value]));
  }

  beforeAll(async () => {
    // The worker rolls up every 5 s, so the figures reach the aggregates while the test waits.
    stack = await startBrowserStack('reports_browser', { REPORT_ROLLUP_SECONDS: '5' });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows a site’s figures as a chart, tables and a CSV download', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const cards = JSON.parse((await call('GET', '/api/cards?limit=1')).body) as {
      items: { slug: string }[];
    };
    const card = cards.items[0]?.slug as string;
    const [opens, leaves, bounces, later] = ['opens', 'leaves', 'bounces', 'later'].map((n) =>
      uniqueEmail(`report-${n}`),
    ) as [string, string, string, string];
    // The receiving server refuses one address for good: a hard bounce.
    stack.sink.failFor(bounces, 550);
    const first = await send(card, [opens, leaves, bounces]);
    await send(card, [later]);
    await stack.sink.waitFor((all) =>
      [opens, leaves, later].every((a) => all.some((m) => m.to.includes(a))),
    );

    // The first recipient opens the card, as the pickup page's script reports it.
    const pickup = new URL(first.recipients[0]?.pickupUrl as string).pathname;
    const page = await call('GET', pickup);
    for (let opened = 0; opened !== 204;) {
      opened = (
        await call('POST', `${pickup}/opened`, {
          headers: { ...FORM, accept: 'application/json' },
          body: new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf') }).toString(),
        })
      ).status;
      // 202 while the worker has not yet recorded the delivery; nothing else is expected.
      expect([202, 204]).toContain(opened);
    }
    // The second unsubscribes with their mail client's one-click request.
    const mail = stack.sink.received.find((m) => m.to.includes(leaves));
    const unsubscribe = new URL(
      /^List-Unsubscribe: <([^>]+)>/m.exec(mail?.rawHeaders ?? '')?.[1] ?? '',
    );
    expect(
      (
        await call('POST', unsubscribe.pathname, {
          headers: FORM,
          body: 'List-Unsubscribe=One-Click',
        })
      ).status,
    ).toBe(200);

    const expected = {
      sends: 2,
      accepted: 4,
      delivered: 3,
      opened: 1,
      bounced: 1,
      unsubscribed: 1,
    };
    for (let until = Date.now() + 30_000; ;) {
      const seen = await totals(today);
      if (Object.entries(expected).every(([k, v]) => seen[k] === v)) break;
      if (Date.now() > until) expect(seen).toMatchObject(expected);
      await new Promise((r) => setTimeout(r, 250));
    }

    const watched = await stack.open(DESKTOP);
    const browser = watched.page;
    const origin = stack.origin(FLAGSHIP);
    await signInAsOperator(browser, origin, DEV_ADMIN_TOKEN);
    await browser.goto(`${origin}/admin/reports`);
    await browser.selectOption('#report-site', 'kindred');
    await browser.fill('input[name="from"]', today);
    await browser.fill('input[name="to"]', today);
    await browser.getByRole('button', { name: 'Show' }).click();
    await browser.waitForURL(/site=kindred/);

    const totalOf = async (label: string) =>
      browser
        .locator('#report-totals tr', { has: browser.locator(`th:text-is("${label}")`) })
        .locator('td')
        .innerText();
    expect(await totalOf('Sends')).toBe('2');
    expect(await totalOf('Bounced')).toBe('1');
    expect(await totalOf('Unsubscribed')).toBe('1');
    expect(await totalOf('Opened')).toBe('1');

    // The chart is drawn: its canvas holds ink, and the legend names every line in words.
    await browser.locator('#report-chart canvas').first().waitFor();
    const inked = await browser.evaluate<number>(INKED_PIXELS);
    expect(inked).toBeGreaterThan(1000);
    const legend = await browser
      .locator('#report-chart .u-legend .u-series .u-label')
      .allInnerTexts();
    expect(legend).toEqual(
      expect.arrayContaining([
        'Sends',
        'Recipients',
        'Delivered',
        'Opened',
        'Bounced',
        'Unsubscribed',
      ]),
    );
    // Lines differ by pattern, not colour alone: each legend swatch has a border style of its own.
    const markers = await browser.evaluate<string[]>(MARKER_STYLES);
    // The first entry is the day axis, which has no swatch.
    expect(new Set(markers.slice(1)).size).toBe(6);
    await expect(browser.locator('#report-chart').getAttribute('role')).resolves.toBe('img');
    await snapshot(browser, 'reports-kindred');

    const [download] = await Promise.all([
      browser.waitForEvent('download'),
      browser.click('#csv-daily'),
    ]);
    expect(download.suggestedFilename()).toBe(`kindred-daily-${today}-${today}.csv`);
    const csv = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
    expect(csv.map((line) => line.split(','))).toEqual([
      ['day', 'Sends', 'Recipients', 'Delivered', 'Opened', 'Bounced', 'Unsubscribed'],
      [today, '2', '4', '3', '1', '1', '1'],
    ]);
    watched.assertClean();
    await watched.close();
  }, 90_000);
});
