import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { purgeCache } from '../support/admin-api.js';
import { type AdminBrowser, signInAdmin } from '../support/browser-forms.js';
import { countRows, openTestDb } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN, ADMIN_TOKEN, basicAuth, flagNamespace, flagOf, SITES } from './support.js';
import { closeConnection } from '../../src/platform/redis/close-connection.js';

describe('flag admin API', () => {
  let t: TestApp;
  let db: DataSource;
  const namespace = flagNamespace('admin');

  beforeAll(async () => {
    t = await startTestApp({ FLAGS_NAMESPACE: namespace });
    db = await openTestDb();
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  /** Admin is served on the flagship's host only; the site to evaluate is named in `?site=`. */
  const list = (site: string, query = '') =>
    t.request({
      method: 'GET',
      url: `/admin/api/flags?site=${site}${query}`,
      host: HOSTS.flagship,
      headers: ADMIN,
    });
  const put = (key: string, payload: object | string, headers: Record<string, string> = ADMIN) =>
    t.request({
      method: 'PUT',
      url: `/admin/api/flags/${key}`,
      host: HOSTS.flagship,
      headers,
      payload,
    });
  const auditRows = () =>
    countRows(db, 'SELECT COUNT(*) AS n FROM feature_flag_audit WHERE namespace = ?', [namespace]);

  it('answers 401 without the admin token, and never caches', async () => {
    const res = await t.request({ method: 'GET', url: '/admin/api/flags', host: HOSTS.flagship });
    expect(res.statusCode).toBe(401);
    const wrong = await t.request({
      method: 'GET',
      url: '/admin/api/flags',
      host: HOSTS.flagship,
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect((await put('relatedCards', { value: false }, {})).statusCode).toBe(401);
    const ok = await list(SITES.flagship);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
  });

  it("refuses the flags API on a partner's host even with the token", async () => {
    for (const host of [HOSTS.partner, HOSTS.uk]) {
      const res = await t.request({ method: 'GET', url: '/admin/api/flags', host, headers: ADMIN });
      expect(res.statusCode).toBe(403);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).not.toContain('partnerPromotions');
    }
    const before = await auditRows();
    const flagsBefore = (await list(SITES.partner)).json<unknown>();
    const write = await t.request({
      method: 'PUT',
      url: '/admin/api/flags/relatedCards',
      host: HOSTS.partner,
      headers: ADMIN,
      payload: { value: false, site: SITES.partner },
    });
    expect(write.statusCode).toBe(403);
    expect(await auditRows()).toBe(before);
    expect((await list(SITES.partner)).json<unknown>()).toEqual(flagsBefore);
  });

  it("evaluates for the host's own site without ?site=, and refuses an unknown site", async () => {
    const own = await t.request({
      method: 'GET',
      url: '/admin/api/flags',
      host: HOSTS.flagship,
      headers: ADMIN,
    });
    expect(own.json<{ site: string }>().site).toBe(SITES.flagship);
    expect((await list('nowhere')).statusCode).toBe(400);
  });

  it('lists every flag evaluated for the site named', async () => {
    const flagship = await list(SITES.flagship);
    const items = flagship.json<{ items: Record<string, unknown>[] }>().items;
    expect(items.length).toBeGreaterThanOrEqual(8);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining(['key', 'value', 'kind', 'description', 'source']),
      );
    }
    expect(flagOf(flagship, 'partnerPromotions')).toEqual({ value: false, source: 'default' });
    expect(flagOf(await list(SITES.partner), 'partnerPromotions')).toEqual({
      value: true,
      source: 'site-default',
    });
  });

  it('refuses bad bodies with a problem body and changes nothing', async () => {
    const before = await auditRows();
    const snapshot = (await list(SITES.flagship)).json<unknown>();
    const bad: [string, object | string][] = [
      ['relatedCards', { value: 'yes' }],
      ['relatedCards', { value: false, extra: 1 }],
      ['relatedCards', { value: false, site: 'nowhere' }],
      ['relatedCards', { value: false, percentage: 150 }],
      ['relatedCards', { value: null, percentage: 10 }],
      ['relatedCards', {}],
      ['relatedCards', '{"value":'],
      ['noSuchFlag', { value: true }],
    ];
    for (const [key, body] of bad) {
      const res = await put(key, body);
      expect(res.statusCode).toBe(400);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    }
    const level = await t.request({
      method: 'POST',
      url: '/admin/api/degradation',
      host: HOSTS.flagship,
      headers: ADMIN,
      payload: { level: 'panic' },
    });
    expect(level.statusCode).toBe(400);
    expect(await auditRows()).toBe(before);
    expect((await list(SITES.flagship)).json<unknown>()).toEqual(snapshot);
  });

  it('lets a per-site override beat the global one, with an audit row each', async () => {
    const before = await auditRows();
    expect(
      (
        await put(
          'viewCounters',
          { value: false, reason: 'redis is hot' },
          {
            ...ADMIN,
            'x-admin-actor': 'ops-alice',
          },
        )
      ).statusCode,
    ).toBe(200);
    expect((await put('viewCounters', { value: true, site: 'kindred' })).statusCode).toBe(200);
    expect(flagOf(await list(SITES.flagship), 'viewCounters')).toEqual({
      value: false,
      source: 'global-override',
    });
    expect(flagOf(await list(SITES.partner), 'viewCounters')).toEqual({
      value: true,
      source: 'site-override',
    });
    expect(await auditRows()).toBe(before + 2);
    const [row] = await db.query<
      { actor: string; old_value: string | null; new_value: string; reason: string }[]
    >(
      'SELECT actor, old_value, new_value, reason FROM feature_flag_audit WHERE namespace = ? AND flag_key = ? AND site_id = ? ORDER BY id DESC LIMIT 1',
      [namespace, 'viewCounters', ''],
    );
    expect(row).toEqual({
      actor: 'ops-alice',
      old_value: null,
      new_value: 'false',
      reason: 'redis is hot',
    });
    // Setting the same value again changes nothing and writes no audit row.
    expect((await put('viewCounters', { value: true, site: 'kindred' })).json()).toEqual({
      key: 'viewCounters',
      changed: false,
    });
    expect(await auditRows()).toBe(before + 2);
    await put('viewCounters', { value: null });
    await put('viewCounters', { value: null, site: 'kindred' });
  });

  it('rolls out to a stable share of visitors near the one asked for', async () => {
    await put('animatedPreviews', { value: false, site: 'merrypost', percentage: 25 });
    const n = 400;
    let off = 0;
    for (let i = 0; i < n; i++) {
      const query = `&visitor=visitor-${i}`;
      const first = flagOf(await list(SITES.uk, query), 'animatedPreviews');
      if (i % 50 === 0)
        expect(flagOf(await list(SITES.uk, query), 'animatedPreviews')).toEqual(first);
      if (!first.value) {
        off++;
        expect(first.source).toBe('site-rollout');
      }
    }
    // 25 % of 400 is 100; a fair hash stays within about three standard deviations (±26).
    expect(off).toBeGreaterThan(74);
    expect(off).toBeLessThan(126);
  });

  it('changes the cached card page as soon as a page flag flips', async () => {
    const slug = await firstCardSlug(t, HOSTS.partner, 'birthday');
    const get = () => t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    // The run's Redis database number may have served an earlier run, whose cached copies of
    // this card (under either variant) would answer HIT: start from none.
    const purge = await purgeCache(t, [`card:${slug}`]);
    expect(purge.statusCode).toBe(200);
    await get();
    const cached = await get();
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(cached.body).toContain('You might also like');
    expect((await put('relatedCards', { value: false, site: 'kindred' })).statusCode).toBe(200);
    const after = await get();
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).not.toContain('You might also like');
    await put('relatedCards', { value: null, site: 'kindred' });
    expect((await get()).body).toContain('You might also like');
  });

  it('counts card views, cache hits included, only while viewCounters is on', async () => {
    const redis = new Redis(t.config.redisUrl);
    try {
      // The occasion's last card: other files open first cards, and a view one of them counted
      // while this test had the counter off would land in this count.
      const list = await t.request({
        method: 'GET',
        url: '/api/cards?occasion=christmas&limit=100',
        host: HOSTS.uk,
      });
      const slug = list.json<{ items: { slug: string }[] }>().items.at(-1)?.slug ?? '';
      expect(slug).not.toBe('');
      const key = `merrypost:views:${slug}`;
      const views = async () => Number((await redis.get(key)) ?? 0);
      const visit = async (n: number) => {
        for (let i = 0; i < n; i++) {
          await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.uk });
        }
        await new Promise((r) => setTimeout(r, 1300)); // one flush
      };
      // Explicitly on for this site, whatever other tests did to the global value.
      await put('viewCounters', { value: true, site: 'merrypost' });
      const start = await views();
      await visit(3);
      expect(await views()).toBe(start + 3);
      await put('viewCounters', { value: false, site: 'merrypost' });
      const page = await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.uk });
      expect(page.body).not.toContain('class="card-views"');
      await visit(3);
      expect(await views()).toBe(start + 3);
    } finally {
      await put('viewCounters', { value: null, site: 'merrypost' });
      await closeConnection(redis);
    }
  });

  it('applies a degradation level in one action and back to normal', async () => {
    const apply = (level: string) =>
      t.request({
        method: 'PUT',
        url: '/admin/api/degradation',
        host: HOSTS.flagship,
        headers: ADMIN,
        payload: { level, site: 'merrypost', reason: 'drill' },
      });
    expect((await apply('peak')).statusCode).toBe(200);
    const peak = await list(SITES.uk);
    expect(flagOf(peak, 'relatedCards')).toEqual({ value: false, source: 'site-override' });
    expect(flagOf(peak, 'featuredCards').value).toBe(false);
    expect(flagOf(peak, 'sending')).toEqual({ value: true, source: 'default' });
    expect(flagOf(await list(SITES.flagship), 'relatedCards').value).toBe(true);
    expect((await apply('normal')).statusCode).toBe(200);
    expect(flagOf(await list(SITES.uk), 'relatedCards')).toEqual({
      value: true,
      source: 'default',
    });
  });

  describe('the admin page', () => {
    const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
    const page = (headers: Record<string, string>, query = '') =>
      t.request({ method: 'GET', url: `/admin/flags${query}`, host: HOSTS.flagship, headers });
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      t.request({
        method: 'POST',
        url: '/admin/flags',
        host: HOSTS.flagship,
        headers: { ...FORM, ...headers },
        payload: new URLSearchParams(form).toString(),
      });
    const flip = (csrf: string | undefined, key: string, value: boolean) => ({
      ...(csrf === undefined ? {} : { _csrf: csrf }),
      site: SITES.partner,
      scope: 'site',
      key,
      value: String(value),
      action: 'flip',
      reason: 'page test',
      actor: 'ops-bob',
    });
    let browser: AdminBrowser;
    beforeAll(async () => {
      browser = await signInAdmin(t, HOSTS.flagship);
    });
    const signedIn = () => ({ cookie: browser.cookie });

    it('sends a browser without a session to the sign-in page, and shows nothing', async () => {
      const visits: Record<string, string>[] = [
        {},
        basicAuth(ADMIN_TOKEN),
        { cookie: 'ecard_admin=forged' },
      ];
      for (const headers of visits) {
        const res = await page(headers);
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/admin/sign-in');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).not.toContain('relatedCards');
      }
    });

    it('lists the flags to a signed-in browser, for the host or the site named, never cached', async () => {
      const own = await page(signedIn());
      expect(own.statusCode).toBe(200);
      expect(own.headers['cache-control']).toBe('no-store');
      expect(own.headers['content-type']).toContain('text/html');
      expect(own.body).toContain(`Flags for ${SITES.flagship}`);
      expect(own.body).toContain('<code>relatedCards</code>');
      expect(own.body).toContain(`name="_csrf" value="${browser.csrf}"`);
      expect(own.body).not.toContain(ADMIN_TOKEN);
      const partner = await page(signedIn(), `?site=${SITES.partner}`);
      expect(partner.statusCode).toBe(200);
      expect(partner.body).toContain(`Flags for ${SITES.partner}`);
    });

    it('flips a flag with the session and its form token', async () => {
      const shown = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
      expect(shown.body).toContain('Popular right now');
      const flipped = await post(signedIn(), flip(browser.csrf, 'featuredCards', false));
      expect(flipped.statusCode).toBe(200);
      expect(flipped.headers['cache-control']).toBe('no-store');
      expect(flipped.body).toContain(`featuredCards set to false (${SITES.partner})`);
      expect(flipped.body).toContain('ops-bob');
      expect(flagOf(await list(SITES.partner), 'featuredCards')).toEqual({
        value: false,
        source: 'site-override',
      });
      const home = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
      expect(home.body).not.toContain('Popular right now');
      await post(signedIn(), {
        ...flip(browser.csrf, 'featuredCards', false),
        action: 'clear',
      });
      expect(flagOf(await list(SITES.partner), 'featuredCards').source).not.toBe('site-override');
    });

    it('refuses a forged post (session but no or a wrong form token) and changes nothing', async () => {
      const before = await auditRows();
      const flags = (await list(SITES.partner)).json<unknown>();
      for (const csrf of [undefined, '', 'wrong', `${browser.csrf}x`, ADMIN_TOKEN]) {
        const res = await post(signedIn(), flip(csrf, 'relatedCards', false));
        expect(res.statusCode).toBe(403);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).not.toContain(browser.csrf);
      }
      // The form token alone is no login either.
      const noLogin = await post({}, flip(browser.csrf, 'relatedCards', false));
      expect(noLogin.statusCode).toBe(401);
      expect(await auditRows()).toBe(before);
      expect((await list(SITES.partner)).json<unknown>()).toEqual(flags);
    });
  });
});
