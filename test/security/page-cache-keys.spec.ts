import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TestResponse } from '../support/http-client.js';
import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** A page the catalog serves, by its one canonical URL. */
interface Target {
  host: string;
  kind: 'home' | 'occasion' | 'card';
  slug: string;
  /** 1 for pages without pages; one past the last page for an occasion's out-of-range page. */
  page: number;
}

/** How a request may spell its target: the same request for the handler, or another one. */
interface Spelling {
  url: string;
  /** True when the handler sees exactly the target's parameters (so a redirect goes there). */
  same: boolean;
}

const PAGE_SIZE = 12;

/**
 * Attack: requests that spell a cacheable page in another way (percent-encoded names and values,
 * duplicates, `+` and `%20`, leading zeros, dot segments, `%2F`, trailing slashes, upper case,
 * parameters no page reads) must never put a page under a key whose canonical URL renders
 * something else. Every response is checked against an app without a page cache, which renders
 * whatever it is asked.
 */
describe('attack: page-cache keys from differently spelled requests', () => {
  let cached: TestApp;
  let uncached: TestApp;
  const occasionPages = new Map<string, number>();
  let cards: string[] = [];

  beforeAll(async () => {
    [cached, uncached] = await Promise.all([
      startTestApp({ APP_VERSION: `test-${randomUUID()}` }),
      startTestApp({ PAGE_CACHE_ENABLED: 'false' }),
    ]);
    for (const occasion of ['birthday', 'christmas', 'valentines', 'thank-you', 'wedding']) {
      const res = await uncached.request({
        method: 'GET',
        url: `/api/cards?occasion=${occasion}&limit=${PAGE_SIZE}`,
        host: HOSTS.flagship,
      });
      const list = res.json<{ items: { slug: string }[]; total: number }>();
      occasionPages.set(occasion, Math.ceil(list.total / PAGE_SIZE));
      cards.push(...list.items.slice(0, 2).map((c) => c.slug));
    }
    cards = cards.slice(0, 6);
  });
  afterAll(async () => {
    await Promise.all([cached.close(), uncached.close()]);
  });

  const get = (app: TestApp, host: string, url: string) =>
    app.request({ method: 'GET', url, host });

  it('has occasions of several pages to attack', () => {
    expect(Math.max(...occasionPages.values())).toBeGreaterThanOrEqual(3);
  });

  it('does not store a page under another page number (encoded parameter name)', async () => {
    for (const variant of ['?pa%67e=2', '?%70age=3', '?PAGE=1&pag%65=2']) {
      await get(cached, HOSTS.partner, `/occasions/birthday${variant}`);
    }
    await expectCanonicalIntact(HOSTS.partner, '/occasions/birthday');
  });

  it('keeps every non-canonical spelling out of the cache: redirected or rendered unstored', async () => {
    for (const url of [
      '/occasions/birthday?page=1',
      '/occasions/birthday?page=02',
      '/occasions/birthday?page=2&utm_source=mail',
      '/occasions/birthday?utm_source=mail&page=2',
      '/occasions/%62irthday?page=2',
      '/cards/' + (cards[0] ?? '') + '?ref=x',
      '/?',
    ]) {
      for (let i = 0; i < 2; i++) {
        const res = await get(cached, HOSTS.flagship, url);
        expect({ url, xCache: res.headers['x-cache'] }).toEqual({ url, xCache: undefined });
      }
    }
  });

  it('stores a search only under its canonical URL, however often another spelling is asked', async () => {
    // Each asked more often than a search must be to be stored (see popular-pages.ts).
    for (const url of [
      '/search?q=Cake',
      '/search?q=cake%20',
      '/search?q=cake&q=pie',
      '/search?Q=cake',
      '/search?q=cake&style=',
      '/search?style=bold&q=cake',
      '/search?q=cake&recent=true',
      `/search?q=${'cake+'.repeat(20)}`,
    ]) {
      for (let i = 0; i < 4; i++) {
        const res = await get(cached, HOSTS.flagship, url);
        expect({ url, xCache: res.headers['x-cache'] }).toEqual({ url, xCache: undefined });
      }
    }
    for (let i = 0; i < 4; i++) await get(cached, HOSTS.flagship, '/search?q=cake&style=bold');
    const stored = await get(cached, HOSTS.flagship, '/search?q=cake&style=bold');
    expect(stored.headers['x-cache']).toBe('HIT');
    await expectCanonicalIntact(HOSTS.flagship, '/search?q=cake&style=bold');
  });

  it('refuses a page beyond the last one before looking up any cards', async () => {
    await get(cached, HOSTS.flagship, '/occasions/birthday');
    const before = await dataCacheLoads();
    // Far past the last page of any catalog a test run seeds (the property below tries the
    // page just past the last one).
    for (const page of [999, 5000, 999999]) {
      const res = await get(cached, HOSTS.flagship, `/occasions/birthday?page=${page}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-cache']).toBeUndefined();
    }
    expect(await dataCacheLoads()).toBe(before);
  });

  it('never stores an entry that differs from what its canonical URL renders', async () => {
    await fc.assert(
      fc.asyncProperty(targetArbitrary(), spellingSeed(), async (target, seed) => {
        const canonical = canonicalUrlOf(target);
        const spelling = spell(target, seed);
        const res = await get(cached, target.host, spelling.url);
        if (res.headers['x-cache'] !== undefined) {
          // Only a canonical URL (of this target, or of the page an extra `page=` names) may be
          // served from, or stored into, the cache, and only with what that URL renders.
          expect(spelling.url).toMatch(CANONICAL);
          expect(comparable(res)).toEqual(
            comparable(await get(uncached, target.host, spelling.url)),
          );
        }
        if (res.statusCode === 301 || res.statusCode === 308) {
          const location = String(res.headers.location);
          if (spelling.same) expect(location).toBe(canonical);
          const followed = await get(cached, target.host, location);
          expect([200, 404]).toContain(followed.statusCode);
        }
        await expectCanonicalIntact(target.host, canonical);
      }),
      { numRuns: 150 },
    );
    // And every page an attack could have reached, once more at the end.
    for (const host of [HOSTS.flagship, HOSTS.partner]) {
      for (const [occasion, pages] of occasionPages) {
        for (let page = 1; page <= pages; page++) {
          const url = `/occasions/${occasion}${page === 1 ? '' : `?page=${page}`}`;
          await expectCanonicalIntact(host, url);
        }
      }
    }
  }, 120_000);

  /** The canonical URL, if the cache holds it, holds what the uncached app renders there. */
  async function expectCanonicalIntact(host: string, canonical: string): Promise<void> {
    const fromCache = await get(cached, host, canonical);
    if (fromCache.headers['x-cache'] !== 'HIT' && fromCache.headers['x-cache'] !== 'STALE') return;
    const fresh = await get(uncached, host, canonical);
    expect({ canonical, ...comparable(fromCache) }).toEqual({ canonical, ...comparable(fresh) });
  }

  async function dataCacheLoads(): Promise<number> {
    const metrics = await get(cached, 'anything', '/metrics');
    const found = /ecard_cache_events_total\{cache="data",tier="l2",outcome="miss"\} (\d+)/.exec(
      metrics.body,
    );
    return Number(found?.[1] ?? 0);
  }

  function targetArbitrary(): fc.Arbitrary<Target> {
    const host = fc.constantFrom(HOSTS.flagship, HOSTS.partner);
    const occasion = fc
      .constantFrom(...occasionPages.keys())
      .chain((slug) =>
        fc
          .integer({ min: 1, max: (occasionPages.get(slug) ?? 1) + 1 })
          .map((page) => ({ kind: 'occasion' as const, slug, page })),
      );
    const card = fc
      .constantFrom(...cards)
      .map((slug) => ({ kind: 'card' as const, slug, page: 1 }));
    const home = fc.constant({ kind: 'home' as const, slug: '', page: 1 });
    return fc
      .tuple(host, fc.oneof(occasion, occasion, card, home))
      .map(([h, page]) => ({ host: h, ...page }));
  }
});

/** Every canonical URL of a cacheable page: page 1 and unread parameters are left out. */
const CANONICAL =
  /^\/(?:|cards\/[a-z0-9-]+|occasions\/[a-z0-9-]+(?:\?page=(?:[2-9]|[1-9][0-9]+))?)$/;

function canonicalUrlOf(target: Target): string {
  if (target.kind === 'home') return '/';
  const path = `/${target.kind === 'occasion' ? 'occasions' : 'cards'}/${target.slug}`;
  return target.page === 1 ? path : `${path}?page=${target.page}`;
}

/** The choices that make one spelling: each picks among a rule's forms. */
type SpellingSeed = {
  path: number;
  name: number;
  value: number;
  explicitFirst: boolean;
  extras: number[];
  order: number;
  at: number;
};

function spellingSeed(): fc.Arbitrary<SpellingSeed> {
  return fc.record({
    path: fc.nat(PATH_FORMS.length - 1),
    name: fc.nat(NAME_FORMS.length - 1),
    value: fc.nat(VALUE_FORMS.length - 1),
    explicitFirst: fc.boolean(),
    extras: fc.array(fc.nat(EXTRAS.length - 1), { maxLength: 3 }),
    order: fc.nat(3),
    at: fc.nat(200),
  });
}

/** Path forms: [spelling of the slug segment's path, same request for the handler]. */
const PATH_FORMS: ((path: string, at: number) => [string, boolean])[] = [
  (p) => [p, true],
  (p, at) => [inSlug(p, (slug) => percentEncodeOne(slug, at)), true],
  (p, at) => [inSlug(p, (slug) => upperOne(slug, at)), false],
  (p) => [`${p}/`, false],
  (p) => [`/${p}`, false],
  (p) => [p.replace(/\/([^/]*)$/, '/./$1'), false],
  (p) => [`${p}/../${p.split('/').pop() ?? ''}`, false],
  (p) => [p.replace(/\/([^/]*)$/, '%2F$1'), false],
  (p) => [`${p};x=1`, false],
];

const NAME_FORMS: ((at: number) => [string, boolean])[] = [
  () => ['page', true],
  (at) => [percentEncodeOne('page', at), true],
  () => ['%70%61%67%65', true],
  () => ['Page', false],
  () => ['page%20', false],
  () => ['page+', false],
];

const VALUE_FORMS: ((n: number, at: number) => [string, boolean])[] = [
  (n) => [String(n), true],
  (n, at) => [percentEncodeOne(String(n), at), true],
  (n) => [`0${n}`, false],
  (n) => [`+${n}`, false],
  (n) => [`%20${n}`, false],
  (n) => [`${n}%20`, false],
  (n) => [`${n}.0`, false],
  () => ['', false],
];

/** Pairs no page reads, or that repeat or empty the one they read. */
const EXTRAS: readonly (readonly [string, boolean])[] = [
  ['utm_source=mail', true],
  ['x', true],
  ['', true],
  ['PAGE=3', true],
  ['page=1', false],
  ['page=2', false],
  ['page', false],
  ['%00=1', true],
];

function spell(target: Target, seed: SpellingSeed): Spelling {
  const canonical = canonicalUrlOf(target);
  const path = canonical.split('?')[0] ?? '/';
  const pathForm = PATH_FORMS[seed.path] ?? PATH_FORMS[0];
  const [spelledPath, samePath] =
    target.kind === 'home'
      ? [path, true]
      : (pathForm as (typeof PATH_FORMS)[number])(path, seed.at);
  const pairs: [string, boolean][] = [];
  if (target.kind === 'occasion' && (target.page > 1 || seed.explicitFirst)) {
    const [name, sameName] = (NAME_FORMS[seed.name] ?? NAME_FORMS[0])!(seed.at);
    const [value, sameValue] = (VALUE_FORMS[seed.value] ?? VALUE_FORMS[0])!(target.page, seed.at);
    pairs.push([`${name}=${value}`, sameName && sameValue]);
  }
  for (const extra of seed.extras) {
    const [pair, same] = EXTRAS[extra] ?? ['', true];
    // Only occasion pages read `page`: on the others, every extra is a parameter no page reads.
    pairs.push([pair, same || target.kind !== 'occasion']);
  }
  const rotated = pairs
    .slice(seed.order % (pairs.length || 1))
    .concat(pairs.slice(0, seed.order % (pairs.length || 1)));
  const query = rotated.map(([pair]) => pair).join('&');
  return {
    url: query === '' && seed.order !== 3 ? spelledPath : `${spelledPath}?${query}`,
    same: samePath && rotated.every(([, same]) => same),
  };
}

function inSlug(path: string, change: (slug: string) => string): string {
  const cut = path.lastIndexOf('/') + 1;
  return path.slice(0, cut) + change(path.slice(cut));
}

function percentEncodeOne(text: string, at: number): string {
  const candidates = [...text].map((c, i) => [c, i] as const).filter(([c]) => /[a-z0-9]/.test(c));
  const picked = candidates[at % candidates.length];
  if (!picked) return text;
  const [char, index] = picked;
  const hex = char.charCodeAt(0).toString(16);
  const encoded = `%${at % 2 === 0 ? hex.toUpperCase() : hex}`;
  return text.slice(0, index) + encoded + text.slice(index + 1);
}

function upperOne(text: string, at: number): string {
  const letters = [...text].map((c, i) => [c, i] as const).filter(([c]) => /[a-z]/.test(c));
  const picked = letters[at % letters.length];
  if (!picked) return text;
  return text.slice(0, picked[1]) + picked[0].toUpperCase() + text.slice(picked[1] + 1);
}

/** What must match between two renders of one page: status and body, view counts aside. */
function comparable(res: TestResponse): { status: number; body: string } {
  return {
    status: res.statusCode,
    body: res.body.replace(/<p class="card-views">[^<]*<\/p>/g, ''),
  };
}
