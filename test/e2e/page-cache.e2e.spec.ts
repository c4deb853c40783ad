import { randomUUID } from 'node:crypto';
import { editCard, purgeCache } from '../support/admin-api.js';
import { until } from '../support/until.js';
import { HOSTS, ownKeyPrefix, startTestApp, type TestApp } from '../support/test-app.js';
import { aGreeting } from '../support/factories.js';

/**
 * Each app here runs with its own APP_VERSION, so its page-cache keys are its own, and with a
 * key prefix of this file's, which names the purge channel: a card edited in another file
 * running at the same time purges `home` and its occasion, and must not turn a HIT here into a
 * MISS. Edits made while the replica is behind are purge-replica-lag.e2e.spec.ts's subject.
 */
const ISOLATED = ownKeyPrefix('page-cache');

describe('page cache', () => {
  let a: TestApp;
  let b: TestApp;
  let cardSlug: string;
  let otherCard: string;
  let thirdCard: string;

  beforeAll(async () => {
    const version = `test-${randomUUID()}`;
    [a, b] = await Promise.all([
      startTestApp({ ...ISOLATED, APP_VERSION: version }),
      startTestApp({ ...ISOLATED, APP_VERSION: version }),
    ]);
    const res = await a.request({
      method: 'GET',
      url: '/api/cards?occasion=new-year&limit=20',
      host: HOSTS.flagship,
    });
    const slugs = res.json<{ items: { slug: string }[] }>().items.map((c) => c.slug);
    cardSlug = slugs[slugs.length - 1] ?? '';
    otherCard = slugs[slugs.length - 2] ?? '';
    thirdCard = slugs[slugs.length - 3] ?? '';
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const get = (app: TestApp, url: string, host: string, headers: Record<string, string> = {}) =>
    app.request({ method: 'GET', url, host, headers });

  it('stores a card page on the first visit and serves it from memory after', async () => {
    const first = await get(a, `/cards/${otherCard}`, HOSTS.flagship);
    const second = await get(a, `/cards/${otherCard}`, HOSTS.flagship);
    expect(first.statusCode).toBe(200);
    expect(['MISS', 'HIT']).toContain(first.headers['x-cache']);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers['cache-control']).toMatch(
      /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/,
    );
    expect(String(second.headers['surrogate-key']).split(' ')).toEqual(
      expect.arrayContaining(['site:ecardia', `card:${otherCard}`, 'occasion:new-year']),
    );
  });

  it('serves a hit with the headers the page was rendered with, and its own request id', async () => {
    const miss = await get(a, `/cards/${thirdCard}`, HOSTS.uk);
    const hit = await get(a, `/cards/${thirdCard}`, HOSTS.uk);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    const perResponse = new Set(['date', 'x-cache', 'x-request-id']);
    const storedPart = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !perResponse.has(name)));
    expect(storedPart(hit.headers)).toEqual(storedPart(miss.headers));
    expect(hit.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(hit.headers['content-length']).toBe(String(Buffer.byteLength(hit.body)));
    expect(hit.headers['x-request-id']).toMatch(/\S/);
    expect(hit.headers['x-request-id']).not.toBe(miss.headers['x-request-id']);
  });

  it('shares pages between processes through Redis', async () => {
    await get(a, '/occasions/new-year', HOSTS.uk);
    const onB = await get(b, '/occasions/new-year', HOSTS.uk);
    expect(onB.headers['x-cache']).toBe('HIT');
  });

  it('answers If-None-Match with 304', async () => {
    const page = await get(a, '/', HOSTS.partner);
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get(a, '/', HOSTS.partner, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('stores a page under its canonical URL only, and sends other spellings there', async () => {
    const page2 = await get(a, '/occasions/birthday?page=2', HOSTS.flagship);
    expect(page2.statusCode).toBe(200);
    for (const variant of [
      '/occasions/birthday?utm_source=x&page=2&fbclid=y',
      '/occasions/birthday?pa%67e=2',
      '/occasions/birthday?page=%32',
    ]) {
      const moved = await get(a, variant, HOSTS.flagship);
      expect({ variant, status: moved.statusCode, location: moved.headers.location }).toEqual({
        variant,
        status: 301,
        location: '/occasions/birthday?page=2',
      });
    }
    const first = await get(a, '/occasions/birthday?page=1', HOSTS.flagship);
    expect(first.statusCode).toBe(301);
    expect(first.headers.location).toBe('/occasions/birthday');
    const hit = await get(a, '/occasions/birthday?page=2', HOSTS.flagship);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toBe(page2.body);
    const twice = await get(a, '/occasions/birthday?page=1&page=2', HOSTS.flagship);
    expect(twice.statusCode).toBe(404);
    expect(twice.headers['x-cache']).toBeUndefined();
  });

  it.each([
    ['compose', (slug: string) => `/cards/${slug}/send`],
    ['health', () => '/health/ready'],
    ['api', () => '/api/cards?limit=1'],
  ])('never stores the %s page', async (_name, url) => {
    for (let i = 0; i < 2; i++) {
      const res = await get(a, url(cardSlug), HOSTS.flagship);
      expect(res.headers['x-cache']).toBeUndefined();
    }
  });

  it('never stores pickup or confirmation pages', async () => {
    const sent = await a.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: aGreeting(cardSlug, { message: 'Private words' }),
    });
    const path = new URL(
      sent.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '',
    ).pathname;
    for (let i = 0; i < 2; i++) {
      const res = await get(a, path, HOSTS.flagship);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-cache']).toBeUndefined();
      expect(res.headers['cache-control']).toContain('no-store');
    }
  });

  describe('isolation between sites and against poisoning', () => {
    const brandOf = (body: string): string[] =>
      ['Ecardia', 'Kindred Paper Co.', 'Merry Post'].filter((brand) =>
        body.includes(`· ${brand}</title>`),
      );

    async function expectClean(): Promise<void> {
      for (const [host, brand] of [
        [HOSTS.flagship, 'Ecardia'],
        [HOSTS.partner, 'Kindred Paper Co.'],
        [HOSTS.uk, 'Merry Post'],
      ] as const) {
        const res = await get(b, '/', host);
        expect(res.statusCode).toBe(200);
        expect(brandOf(res.body)).toEqual([brand]);
      }
    }

    const attacks: [string, string, Record<string, string>, string][] = [
      ['mixed-case Host', '/', {}, 'WWW.ECARDIA.Example'],
      ['Host with port', '/', {}, `${HOSTS.flagship}:443`],
      ['X-Forwarded-Host', '/', { 'x-forwarded-host': HOSTS.partner }, HOSTS.flagship],
      [
        'X-Forwarded-Proto and Port',
        '/',
        { 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443' },
        HOSTS.flagship,
      ],
      ['Forwarded', '/', { forwarded: `host=${HOSTS.partner};proto=https` }, HOSTS.flagship],
      ['X-Host', '/', { 'x-host': HOSTS.uk }, HOSTS.flagship],
      ['X-Original-URL', '/', { 'x-original-url': '/admin/api/cache/purge' }, HOSTS.flagship],
      ['X-Rewrite-URL', '/', { 'x-rewrite-url': '/cards/evil' }, HOSTS.flagship],
      ['X-HTTP-Method-Override', '/', { 'x-http-method-override': 'POST' }, HOSTS.flagship],
      ['a cookie', '/', { cookie: 'site=kindred; session=x' }, HOSTS.flagship],
      ['Accept-Language', '/', { 'accept-language': 'en-GB' }, HOSTS.flagship],
      ['query junk', '/?host=cards.kindredpaper.example&%00=1', {}, HOSTS.flagship],
      ['a double slash', '//', {}, HOSTS.flagship],
      ['a dot segment', '/./', {}, HOSTS.flagship],
      ['an encoded slash', '/cards%2F..%2F', {}, HOSTS.flagship],
      [
        'an absolute URL in the request line',
        'http://cards.kindredpaper.example/',
        {},
        HOSTS.flagship,
      ],
    ];

    it.each(attacks)(
      '%s never yields another site or poisons the cache',
      async (_name, url, headers, host) => {
        const res = await get(b, url, host, headers);
        expect(res.body).not.toContain('Kindred Paper Co.</title>');
        expect(res.body).not.toContain('Merry Post</title>');
        if (res.statusCode === 200) expect(brandOf(res.body)).toEqual(['Ecardia']);
        await expectClean();
      },
    );

    it('keeps two sites with the same path apart', async () => {
      const flagship = await get(a, `/cards/${otherCard}`, HOSTS.flagship);
      const uk = await get(a, `/cards/${otherCard}`, HOSTS.uk);
      expect(brandOf(flagship.body)).toEqual(['Ecardia']);
      expect(brandOf(uk.body)).toEqual(['Merry Post']);
      const partner = await get(a, `/cards/${otherCard}`, HOSTS.partner);
      expect(partner.statusCode).toBe(404);
      expect(partner.headers['x-cache']).toBeUndefined();
    });
  });

  describe('purging', () => {
    it('refuses the purge endpoint without the admin token', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: 'development-only-admin-token' },
      ];
      for (const headers of attempts) {
        const res = await a.request({
          method: 'POST',
          url: '/admin/api/cache/purge',
          host: HOSTS.flagship,
          headers,
          payload: { tags: ['all'] },
        });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('refuses unknown tags', async () => {
      const res = await purgeCache(a, ['*']);
      expect(res.statusCode).toBe(400);
    });

    it('purges one card in every process', async () => {
      await get(a, `/cards/${otherCard}`, HOSTS.flagship);
      await get(b, `/cards/${otherCard}`, HOSTS.flagship);
      expect((await get(b, `/cards/${otherCard}`, HOSTS.flagship)).headers['x-cache']).toBe('HIT');
      const res = await purgeCache(a, [`card:${otherCard}`]);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ purged: [`card:${otherCard}`] });
      await until(
        async () =>
          (await get(b, `/cards/${otherCard}`, HOSTS.flagship)).headers['x-cache'] !== 'HIT',
        'the other card purged in the second app',
        1000,
      );
    });

    it("does not reach another deployment's processes, which have a key prefix of their own", async () => {
      const other = await startTestApp({
        ...ownKeyPrefix('page-cache-other'),
        APP_VERSION: `test-${randomUUID()}`,
      });
      try {
        await get(other, `/cards/${thirdCard}`, HOSTS.flagship);
        expect((await get(other, `/cards/${thirdCard}`, HOSTS.flagship)).headers['x-cache']).toBe(
          'HIT',
        );
        await get(b, `/cards/${thirdCard}`, HOSTS.flagship);
        const purge = await purgeCache(a, [`card:${thirdCard}`]);
        expect(purge.statusCode).toBe(200);
        // Once this deployment's other process has dropped the page, the message has been out.
        await until(
          async () =>
            (await get(b, `/cards/${thirdCard}`, HOSTS.flagship)).headers['x-cache'] !== 'HIT',
          'the card purged in the second app',
          1000,
        );
        const kept = await get(other, `/cards/${thirdCard}`, HOSTS.flagship);
        expect(kept.headers['x-cache']).toBe('HIT');
      } finally {
        await other.close();
      }
    });

    it('shows an edited card on every process within a second', async () => {
      const before = await get(b, `/cards/${cardSlug}`, HOSTS.flagship);
      const title = /<h1[^>]*>([^<]+)<\/h1>/.exec(before.body)?.[1]?.trim() ?? '';
      expect(title.length).toBeGreaterThan(0);
      await get(b, `/occasions/new-year`, HOSTS.flagship);
      const newTitle = `${title} ${Date.now().toString(36)}`;
      try {
        const edit = await editCard(a, cardSlug, { title: newTitle });
        expect(edit.statusCode).toBe(200);
        const started = Date.now();
        await until(
          async () => (await get(b, `/cards/${cardSlug}`, HOSTS.flagship)).body.includes(newTitle),
          'the new title on the card page',
          1000,
        );
        await until(
          async () => (await get(b, '/occasions/new-year', HOSTS.flagship)).body.includes(newTitle),
          'the new title on the occasion page',
          1000,
        );
        expect(Date.now() - started).toBeLessThan(1000);
      } finally {
        await editCard(a, cardSlug, { title });
      }
    });

    it('validates card edits', async () => {
      const res = await editCard(a, cardSlug, { title: '' });
      expect(res.statusCode).toBe(400);
      const missing = await editCard(a, 'no-such-card', { title: 'x' });
      expect(missing.statusCode).toBe(404);
    });
  });

  it('counts hits and misses per tier for the metrics endpoint', async () => {
    await get(a, `/cards/${otherCard}`, HOSTS.flagship);
    await get(a, `/cards/${otherCard}`, HOSTS.flagship);
    const metrics = await a.scrapeMetrics();
    const hits = /ecard_cache_events_total\{cache="page",tier="l1",outcome="hit"\} (\d+)/.exec(
      metrics,
    );
    expect(Number(hits?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/ecard_cache_events_total\{cache="data",tier="l1",outcome="hit"\} \d+/);
  });
});

describe('page cache freshness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      ...ISOLATED,
      APP_VERSION: `test-${randomUUID()}`,
      PAGE_CACHE_TTL_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('renders a page again once it is past its freshness', async () => {
    const first = await t.request({ method: 'GET', url: '/', host: HOSTS.uk });
    expect(first.statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/', host: HOSTS.uk })).headers['x-cache']).toBe(
      'HIT',
    );
    await new Promise((r) => setTimeout(r, 1100));
    const refresh = await t.request({ method: 'GET', url: '/', host: HOSTS.uk });
    expect(refresh.headers['x-cache']).toBe('MISS');
    const after = await t.request({ method: 'GET', url: '/', host: HOSTS.uk });
    expect(after.headers['x-cache']).toBe('HIT');
  });
});
