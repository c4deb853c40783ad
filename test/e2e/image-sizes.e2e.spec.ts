import { randomUUID } from 'node:crypto';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** Every `<img>` tag of a page that lacks a width or a height attribute. */
function unsizedImages(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*>/gi)]
    .map((match) => match[0])
    .filter((tag) => !/\swidth="\d+"/.test(tag) || !/\sheight="\d+"/.test(tag));
}

/**
 * Images carry their sizes, so a page keeps each picture's place before it arrives and nothing
 * below it jumps: every public page of every site, as served.
 */
describe('image sizes on public pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ APP_VERSION: `test-${randomUUID()}` });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(Object.entries(HOSTS))('gives every image a width and height on %s', async (_, host) => {
    const slug = await firstCardSlug(t, host, 'birthday');
    const pages = [
      '/',
      '/occasions',
      '/occasions/birthday',
      `/cards/${slug}`,
      `/cards/${slug}/send`,
      '/search?q=birthday',
      '/account/sign-in',
    ];
    let images = 0;
    for (const url of pages) {
      const res = await t.request({ method: 'GET', url, host });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      images += (res.body.match(/<img\b/gi) ?? []).length;
      expect({ url, unsized: unsizedImages(res.body) }).toEqual({ url, unsized: [] });
    }
    // The logo, the hero, the tiles and the card itself at least: a check of no image is none.
    expect(images).toBeGreaterThan(pages.length);
  });
});
