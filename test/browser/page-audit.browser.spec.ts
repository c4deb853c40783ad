import type { Page, Response } from 'playwright-core';
import { type BrowserStack, SCREENS, SITES, startBrowserStack } from './support/browser-stack.js';

/**
 * What a Lighthouse run on a phone would flag on the public pages, measured in Chromium at
 * 390 pixels: console errors, images without sizes or text alternatives or far larger than
 * drawn, pages heavier than their budget, text sent uncompressed, no icon, no viewport, no
 * language or title, a script that holds up the first paint, and targets too small to tap.
 */
describe('public pages audited on a phone', () => {
  let stack: BrowserStack;
  const phone = SCREENS[1];

  beforeAll(async () => {
    stack = await startBrowserStack('browser_audit');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it.each(SITES)(
    '$id: home, occasion, card and search pages pass the audit',
    async (site) => {
      const origin = stack.origin(site);
      const tab = await stack.open(phone);
      const { page } = tab;
      const responses: Response[] = [];
      page.on('response', (response) => responses.push(response));
      const weights: Record<string, number> = {};
      let slug = '';
      for (const step of ['/', '/occasions/birthday', 'card', '/search?q=birthday']) {
        if (step === 'card') slug = await birthdayCardOf(page);
        const path = step === 'card' ? `/cards/${slug}` : step;
        responses.length = 0;
        const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
        expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
        expect({ path, problems: await auditOf(page) }).toEqual({ path, problems: [] });
        expect({ path, uncompressed: await uncompressed(responses, origin) }).toEqual({
          path,
          uncompressed: [],
        });
        weights[path] = await transferred(page);
      }
      // Everything a first visit downloads, with an empty cache (about 20 KB today): well
      // inside a slow phone's few seconds, and a fence against a page that grows by accident.
      expect(weights['/']).toBeLessThan(PAGE_BUDGET_BYTES);
      expect(weights[`/cards/${slug}`]).toBeLessThan(PAGE_BUDGET_BYTES);
      // The icon the page names is there to be fetched.
      const icon = await page.evaluate<number>(`(async () => {
        const href = document.querySelector('link[rel~="icon"]')?.getAttribute('href');
        return href ? (await fetch(href)).status : 0;
      })()`);
      expect(icon).toBe(200);
      tab.assertClean();
      await tab.close();
    },
    60_000,
  );
});

/** Bytes over the wire for a page and everything it loaded, compressed as sent. */
const PAGE_BUDGET_BYTES = 150 * 1024;

/** Smaller than this, a response gains nothing from compression and may be sent as it is. */
const COMPRESS_FROM_BYTES = 1024;

/** A birthday card of the site the page is on, from the site's own catalog API. */
async function birthdayCardOf(page: Page): Promise<string> {
  const slug = await page.evaluate<string>(`(async () => {
    const res = await fetch('/api/cards?occasion=birthday&limit=1');
    const body = await res.json();
    return body.items[0]?.slug ?? '';
  })()`);
  expect(slug).not.toBe('');
  return slug;
}

/** Text of our own origin (pages, styles, scripts, SVG) that came uncompressed. */
async function uncompressed(responses: Response[], origin: string): Promise<string[]> {
  const found: string[] = [];
  for (const response of responses) {
    if (!response.url().startsWith(origin) || response.status() !== 200) continue;
    const type = (await response.headerValue('content-type')) ?? '';
    if (!/^(text\/|image\/svg\+xml|application\/(json|javascript))/.test(type)) continue;
    if ((await response.body()).length < COMPRESS_FROM_BYTES) continue;
    const encoding = await response.headerValue('content-encoding');
    if (encoding !== 'br' && encoding !== 'gzip') found.push(`${response.url()} (${type})`);
  }
  return found;
}

/** The page's own transfer and each resource's, as the browser's timing entries count them. */
function transferred(page: Page): Promise<number> {
  return page.evaluate<number>(`[
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ].reduce((sum, entry) => sum + entry.transferSize, 0)`);
}

/**
 * Everything the page itself shows that an audit would flag, as sentences. Run in the page as
 * source: this code is compiled without the browser's types.
 */
function auditOf(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    const html = document.documentElement;
    if (!html.lang) problems.push('the document has no lang');
    if (!document.title.trim()) problems.push('the document has no title');
    const viewport = document.querySelector('meta[name="viewport"]');
    if (!viewport?.content.includes('width=device-width')) problems.push('no meta viewport');
    if (!document.querySelector('link[rel~="icon"]')) problems.push('no favicon');
    for (const script of document.head.querySelectorAll('script[src]')) {
      if (!script.defer && !script.async && script.type !== 'module') {
        problems.push(\`render-blocking script \${script.src}\`);
      }
    }
    for (const img of document.images) {
      const name = img.currentSrc || img.src;
      if (!img.hasAttribute('alt')) problems.push(\`image without alt: \${name}\`);
      if (!img.getAttribute('width') || !img.getAttribute('height')) {
        problems.push(\`image without width and height: \${name}\`);
      }
      // A raster image drawn at a fraction of its pixels wastes a phone's download; a vector
      // one is the same bytes at any size.
      const raster = !new URL(name, location.href).pathname.endsWith('.svg');
      const drawn = img.getBoundingClientRect().width;
      if (
        raster &&
        img.naturalWidth > 0 &&
        drawn > 0 &&
        img.naturalWidth > drawn * 2 * devicePixelRatio
      ) {
        problems.push(
          \`image \${name} is \${img.naturalWidth}px wide, drawn at \${Math.round(drawn)}px\`,
        );
      }
    }
    // WCAG 2.2's minimum target: 24 by 24 CSS pixels, links inside a sentence excepted.
    const targets = document.querySelectorAll(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"]',
    );
    for (const target of targets) {
      if (!target.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      // A box or a button with a label takes a tap on its label too.
      const own = target.getBoundingClientRect();
      const label = target.labels?.[0]?.getBoundingClientRect() ?? own;
      const box = {
        width: Math.max(own.width, label.width),
        height: Math.max(own.height, label.height),
      };
      // The skip link and other visually hidden helpers are a pixel until focused.
      if (box.width <= 1 || box.height <= 1) continue;
      if (target.tagName === 'A' && target.closest('p')) continue;
      if (box.width < 24 || box.height < 24) {
        const name =
          (target.textContent ?? '').trim().slice(0, 40) || target.outerHTML.slice(0, 80);
        problems.push(
          \`tap target "\${name}" is \${Math.round(box.width)}x\${Math.round(box.height)}\`,
        );
      }
    }
    return problems;
  })()`);
}
