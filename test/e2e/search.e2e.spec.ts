import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEMO_CARDS, type DemoCard } from '../../src/seed/demo-catalog.js';
import { styleOf, tagsOf } from '../../src/seed/card-tags.js';
import { openTestDb } from '../support/db.js';
import { HOSTS, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const slugsOn = (html: string) =>
  [...html.matchAll(/class="card-tile" href="\/cards\/([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
const occasionsOn = (html: string) =>
  [...html.matchAll(/class="card-tile-occasion">([^<]+)</g)].map((m) => m[1] ?? '');
const totalOn = (html: string) => Number(/(\d+) cards? found/.exec(html)?.[1] ?? 0);

const words = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/);

/** A hand-written card with a tag none of its own texts say, so only the tag can find it. */
function cardFoundOnlyByTag(): { card: DemoCard; tag: string } {
  for (const card of DEMO_CARDS) {
    const own = new Set(words(`${card.title} ${card.description} ${card.insideText}`));
    const tag = tagsOf(card)
      .split(' ')
      .find((t) => t.length > 3 && ![...own].some((w) => w.startsWith(t)));
    if (tag) return { card, tag };
  }
  throw new Error('every demo card says all of its tags');
}

describe('search', () => {
  let t: TestApp;
  let primary: DataSource;
  let replica: DataSource;
  beforeAll(async () => {
    t = await startTestApp({ APP_VERSION: `search-${randomUUID()}` });
    primary = await openTestDb();
    replica = await openTestDb(testConfig().database.replicaUrls[0]);
  });
  afterAll(async () => {
    await Promise.all([t.close(), primary.destroy(), replica.destroy()]);
  });

  const get = (url: string, host: string = HOSTS.flagship) =>
    t.request({ method: 'GET', url, host });

  it('finds a card by a word of its title', async () => {
    const card = DEMO_CARDS.find((c) => c.occasionSlug === 'birthday') as DemoCard;
    const word = words(card.title).filter((w) => w.length > 3)[0] ?? '';
    const res = await get(`/search?q=${word}&occasion=birthday`);
    expect(res.statusCode).toBe(200);
    expect(slugsOn(res.body)).toContain(card.slug);
    expect(res.body).toContain(`Cards for “${word}”`);
  });

  it('finds a card by a tag its texts do not say', async () => {
    const { card, tag } = cardFoundOnlyByTag();
    const res = await get(`/search?q=${tag}&occasion=${card.occasionSlug}`);
    expect(res.statusCode).toBe(200);
    expect(slugsOn(res.body)).toContain(card.slug);
  });

  it("finds an occasion's cards by the occasion's name", async () => {
    const res = await get('/search?q=thanksgiving');
    expect(totalOn(res.body)).toBeGreaterThan(0);
    expect(new Set(occasionsOn(res.body))).toEqual(new Set(['Thanksgiving']));
  });

  it("finds only the site's own catalog", async () => {
    const christmas = DEMO_CARDS.find((c) => c.occasionSlug === 'christmas') as DemoCard;
    const flagship = await get(`/search?q=${words(christmas.title).join('+')}`);
    expect(slugsOn(flagship.body)).toContain(christmas.slug);
    // The partner carries no Christmas cards: neither the occasion nor the card's own words.
    const partner = await get(`/search?q=${words(christmas.title).join('+')}`, HOSTS.partner);
    expect(partner.statusCode).toBe(200);
    expect(slugsOn(partner.body)).not.toContain(christmas.slug);
    const byOccasion = await get('/search?q=christmas', HOSTS.partner);
    expect(byOccasion.body).toContain('No cards match');
    expect(slugsOn(byOccasion.body)).toEqual([]);
    const filtered = await get('/search?q=cake&occasion=christmas', HOSTS.partner);
    expect(filtered.statusCode).toBe(404);
  });

  it('narrows by occasion and by style', async () => {
    const byOccasion = await get('/search?q=love&occasion=valentines');
    expect(totalOn(byOccasion.body)).toBeGreaterThan(0);
    expect(new Set(occasionsOn(byOccasion.body))).toEqual(new Set(['Valentine&#39;s Day']));

    const styled = DEMO_CARDS.filter((c) => c.occasionSlug === 'birthday');
    const evening = styled.filter((c) => styleOf(c) === 'evening').map((c) => c.slug);
    const res = await get('/search?occasion=birthday&style=evening');
    expect(res.statusCode).toBe(200);
    const found = slugsOn(res.body);
    expect(found.length).toBeGreaterThan(0);
    const rows = await replica.query<{ style: string }[]>(
      `SELECT DISTINCT style FROM cards WHERE slug IN (${found.map(() => '?').join(',')})`,
      found,
    );
    expect(rows.map((r) => r.style)).toEqual(['evening']);
    for (const slug of evening.slice(0, 1)) expect(found).toContain(slug);
  });

  it('narrows to recently added cards', async () => {
    const card = DEMO_CARDS.find((c) => c.occasionSlug === 'wedding') as DemoCard;
    const [row] = await primary.query<{ created_at: Date }[]>(
      'SELECT created_at FROM cards WHERE slug = ?',
      [card.slug],
    );
    await primary.query('UPDATE cards SET created_at = NOW() - INTERVAL 400 DAY WHERE slug = ?', [
      card.slug,
    ]);
    try {
      await replicaShows(replica, card.slug, 'created_at < NOW() - INTERVAL 300 DAY');
      const all = await get('/search?occasion=wedding');
      const recent = await get('/search?occasion=wedding&recent=1');
      expect(totalOn(recent.body)).toBe(totalOn(all.body) - 1);
      const pages = Math.ceil(totalOn(recent.body) / 12);
      for (let page = 1; page <= pages; page++) {
        const res = await get(
          `/search?occasion=wedding&recent=1${page > 1 ? `&page=${page}` : ''}`,
        );
        expect(slugsOn(res.body)).not.toContain(card.slug);
      }
    } finally {
      await primary.query('UPDATE cards SET created_at = ? WHERE slug = ?', [
        row?.created_at,
        card.slug,
      ]);
    }
  });

  it('pages through many results, each page its own cards', async () => {
    const first = await get('/search?q=birthday');
    const total = totalOn(first.body);
    expect(total).toBeGreaterThan(12);
    expect(first.body).toContain('href="/search?q=birthday&amp;page=2"');
    const second = await get('/search?q=birthday&page=2');
    expect(second.statusCode).toBe(200);
    const onFirst = new Set(slugsOn(first.body));
    expect(onFirst.size).toBe(12);
    for (const slug of slugsOn(second.body)) expect(onFirst.has(slug)).toBe(false);
    const past = await get(`/search?q=birthday&page=${Math.ceil(total / 12) + 1}`);
    expect(past.statusCode).toBe(404);
  });

  it('redirects other spellings of a search to its one canonical URL', async () => {
    for (const [asked, canonical] of [
      ['/search?q=Happy%20%20BIRTHDAY!', '/search?q=happy+birthday'],
      ['/search?q=cake&occasion=&style=', '/search?q=cake'],
      ['/search?style=bold&q=cake', '/search?q=cake&style=bold'],
      ['/search?q=cake&utm_source=mail', '/search?q=cake'],
      ['/search?q=', '/search'],
      ['/search?q=caf%C3%A9', '/search?q=caf%C3%A9'],
    ] as const) {
      const res = await get(asked);
      if (asked === canonical) {
        expect(res.statusCode).toBe(200);
      } else {
        expect({ asked, status: res.statusCode, location: res.headers.location }).toEqual({
          asked,
          status: 301,
          location: canonical,
        });
      }
    }
  });

  it('keeps a search in the page cache only once it is asked for often', async () => {
    const url = `/search?q=balloons&style=bold`;
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      outcomes.push(res.headers['x-cache'] as string | undefined);
    }
    expect(outcomes).toEqual([undefined, undefined, 'MISS', 'HIT']);
  });

  it('never stores a search asked for once, however many there are', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await get(`/search?q=made+up+${randomUUID().slice(0, 8)}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('No cards match');
      expect(res.headers['x-cache']).toBeUndefined();
    }
  });

  it('says what to do with an empty search, a too long one and one without results', async () => {
    const empty = await get('/search');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('What are you looking for?');
    expect(slugsOn(empty.body)).toEqual([]);

    const long = await get(`/search?q=${'a'.repeat(81)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('That search is too long');
    expect(long.body).toContain('aria-invalid="true"');

    const none = await get('/search?q=zzyzxqq');
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('No cards match');
    expect(none.body).toContain('Nothing matches “zzyzxqq”');

    // Words the full-text index leaves out (too common) are a search without results, not an error.
    const common = await get('/search?q=the+for');
    expect(common.statusCode).toBe(200);

    const unreadable = await get('/search?q=a&q=b');
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.body).toContain('We could not read that search');
  });

  it('offers the search box on every page', async () => {
    for (const host of Object.values(HOSTS)) {
      const res = await get('/occasions', host);
      expect(res.body).toMatch(/<form class="site-search" role="search" action="\/search"/);
    }
  });
});

/** Waits (bounded) for the replica to apply a write the test made on the primary. */
async function replicaShows(replica: DataSource, slug: string, condition: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await replica.query<unknown[]>(
      `SELECT 1 FROM cards WHERE slug = ? AND ${condition}`,
      [slug],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the replica did not show ${slug} with ${condition}`);
}
