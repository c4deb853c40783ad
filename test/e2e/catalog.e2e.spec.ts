import sharp from 'sharp';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

interface CardList {
  items: { slug: string; title: string; occasion: string; imageUrl: string }[];
  total: number;
}

const PARTNER_OCCASIONS = [
  'birthday',
  'thank-you',
  'congratulations',
  'wedding',
  'new-baby',
  'anniversary',
];

describe('catalog pages and API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function cards(host: string, query = ''): Promise<CardList> {
    const res = await t.request({ method: 'GET', url: `/api/cards${query}`, host });
    expect(res.statusCode).toBe(200);
    return res.json<CardList>();
  }

  it('lists the home page occasions and featured cards', async () => {
    const res = await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
    expect(res.body).toContain('href="/occasions/birthday"');
    expect(res.body).toContain('href="/occasions/thanksgiving"');
    expect(res.body).toMatch(/href="\/cards\/[a-z0-9-]+"/);
  });

  it('pages through an occasion', async () => {
    const { total } = await cards(HOSTS.flagship, '?occasion=birthday&limit=1');
    const first = await t.request({
      method: 'GET',
      url: '/occasions/birthday',
      host: HOSTS.flagship,
    });
    expect(first.statusCode).toBe(200);
    const onFirst = new Set(
      [...first.body.matchAll(/href="\/cards\/([a-z0-9-]+)"/g)].map((m) => m[1]),
    );
    expect(onFirst.size).toBe(Math.min(total, 12));
    if (total > 12) {
      expect(first.body).toContain('href="/occasions/birthday?page=2"');
      const second = await t.request({
        method: 'GET',
        url: '/occasions/birthday?page=2',
        host: HOSTS.flagship,
      });
      expect(second.statusCode).toBe(200);
      const onSecond = [...second.body.matchAll(/href="\/cards\/([a-z0-9-]+)"/g)].map((m) => m[1]);
      for (const slug of onSecond) expect(onFirst.has(slug)).toBe(false);
    }
    for (const page of ['99', '0', 'abc', '-1', '1e3']) {
      const res = await t.request({
        method: 'GET',
        url: `/occasions/birthday?page=${page}`,
        host: HOSTS.flagship,
      });
      expect(res.statusCode).toBe(404);
    }
  });

  it('shows a card with its verse and a link to personalise it', async () => {
    const [card] = (await cards(HOSTS.flagship, '?limit=1')).items;
    const res = await t.request({
      method: 'GET',
      url: `/cards/${card?.slug}`,
      host: HOSTS.flagship,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(card?.title);
    expect(res.body).toContain(`href="/cards/${card?.slug}/send"`);
  });

  it("fills {brandName} placeholders in card verses with each site's name", async () => {
    const all = await cards(HOSTS.flagship, '?limit=100');
    const pages = await Promise.all(
      all.items.map((c) =>
        t.request({ method: 'GET', url: `/cards/${c.slug}`, host: HOSTS.flagship }),
      ),
    );
    const withBrand = pages.filter(
      (p) => p.body.includes('all of us at Ecardia') || /Ecardia[^<]*<\/p>/.test(p.body),
    );
    expect(withBrand.length).toBeGreaterThan(0);
    for (const page of pages) expect(page.body).not.toContain('{brandName}');
  });

  it('answers unknown cards and occasions with a branded 404', async () => {
    for (const url of [
      '/cards/no-such-card',
      '/occasions/no-such-occasion',
      '/cards/UPPER',
      '/nowhere',
    ]) {
      const res = await t.request({ method: 'GET', url, host: HOSTS.partner });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Kindred Paper Co.');
    }
  });

  it('restricts the partner to its own catalog, pages and API alike', async () => {
    const flagship = await cards(HOSTS.flagship, '?limit=100');
    const partner = await cards(HOSTS.partner, '?limit=100');
    expect(partner.total).toBeLessThan(flagship.total);
    expect(partner.items.every((c) => PARTNER_OCCASIONS.includes(c.occasion))).toBe(true);
    const outside = flagship.items.find((c) => !PARTNER_OCCASIONS.includes(c.occasion));
    expect(outside).toBeDefined();
    const onPartner = await t.request({
      method: 'GET',
      url: `/cards/${outside?.slug}`,
      host: HOSTS.partner,
    });
    expect(onPartner.statusCode).toBe(404);
    const onFlagship = await t.request({
      method: 'GET',
      url: `/cards/${outside?.slug}`,
      host: HOSTS.flagship,
    });
    expect(onFlagship.statusCode).toBe(200);
    const occasion = await t.request({
      method: 'GET',
      url: `/occasions/${outside?.occasion}`,
      host: HOSTS.partner,
    });
    expect(occasion.statusCode).toBe(404);
    const home = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(home.body).not.toContain(`href="/occasions/${outside?.occasion}"`);
  });

  it('pages the API with limit, offset and occasion', async () => {
    const all = await cards(HOSTS.flagship, '?limit=100');
    const page = await cards(HOSTS.flagship, '?limit=5&offset=5');
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(all.total);
    expect(page.items.map((c) => c.slug)).toEqual(all.items.slice(5, 10).map((c) => c.slug));
    const birthday = await cards(HOSTS.flagship, '?occasion=birthday&limit=100');
    expect(birthday.items.every((c) => c.occasion === 'birthday')).toBe(true);
    expect(birthday.items[0]?.imageUrl).toMatch(
      /^http:\/\/www\.ecardia\.example:8080\/media\/cards\/[a-z0-9-]+\.[0-9a-f]{12}\.svg$/,
    );
  });

  it.each(['?limit=0', '?limit=101', '?offset=-1', '?limit=abc', '?occasion=<x>', '?bogus=1'])(
    'refuses bad list parameters %s with a problem body',
    async (query) => {
      const res = await t.request({
        method: 'GET',
        url: `/api/cards${query}`,
        host: HOSTS.flagship,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 400, errors: expect.any(Array) });
    },
  );

  it('draws card artwork as a PNG for emails, once, and only for artwork that exists', async () => {
    const [card] = (await cards(HOSTS.flagship, '?limit=1')).items;
    const url = new URL(card?.imageUrl ?? '').pathname.replace(/\.svg$/, '.png');
    const [first, again] = await Promise.all([
      t.request({ method: 'GET', url, host: HOSTS.flagship }),
      t.request({ method: 'GET', url, host: HOSTS.flagship }),
    ]);
    for (const res of [first, again]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.bytes.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    }
    const { width, height } = await sharp(first.bytes).metadata();
    expect([width, height]).toEqual([600, 800]);
    for (const bad of [
      url.replace(/\.[0-9a-f]{12}\./, '.000000000000.'),
      url.replace(/\.png$/, '.thumb.png'),
    ]) {
      const res = await t.request({ method: 'GET', url: bad, host: HOSTS.flagship });
      expect(res.statusCode).toBe(404);
    }
  });

  it('serves card artwork as immutable SVG with a locked-down policy', async () => {
    const [card] = (await cards(HOSTS.flagship, '?limit=1')).items;
    const path = new URL(card?.imageUrl ?? '').pathname;
    for (const url of [path, path.replace(/\.svg$/, '.thumb.svg')]) {
      const res = await t.request({ method: 'GET', url, host: HOSTS.flagship });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.body.startsWith('<svg')).toBe(true);
    }
    const stale = await t.request({
      method: 'GET',
      url: path.replace(/\.[0-9a-f]{12}\./, '.000000000000.'),
      host: HOSTS.flagship,
    });
    expect(stale.statusCode).toBe(404);
  });
});

describe('card pages rendered on every request (page cache off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAGE_CACHE_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a card page the same when it comes from memory, found or not', async () => {
    // The first request loads through the data cache; the second is answered from this
    // process's recent reads without waiting on anything, and must not differ.
    const slug = await firstCardSlug(t, HOSTS.partner);
    // The view count is the one part that may differ: it is shown once there is one.
    const views = (body: string) =>
      body.replace(/<p class="card-views">[^<]*<\/p>/, '').replace(/\s+/g, ' ');
    const first = await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    const second = await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(views(second.body)).toBe(views(first.body));
    expect(second.headers['surrogate-key']).toBe(first.headers['surrogate-key']);
    expect(second.headers['surrogate-key']).toContain(`card:${slug}`);
    for (let attempt = 0; attempt < 2; attempt++) {
      const missing = await t.request({
        method: 'GET',
        url: '/cards/no-such-card-twice',
        host: HOSTS.partner,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('Kindred Paper Co.');
    }
  });
});
