import { randomUUID } from 'node:crypto';
import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** The pages around the catalog: the occasions index, the favicon, the header's links. */
describe('site pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    // An app version of its own: page-cache keys no other test file shares.
    t = await startTestApp({ APP_VERSION: `test-${randomUUID()}` });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, host: string) => t.request({ method: 'GET', url, host });

  it("lists the site's occasions at /occasions, cached like the other catalog pages", async () => {
    const first = await get('/occasions', HOSTS.partner);
    const second = await get('/occasions', HOSTS.partner);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers['cache-control']).toMatch(
      /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/,
    );
    expect(String(second.headers['surrogate-key']).split(' ')).toEqual(
      expect.arrayContaining(['site:kindred', 'listings']),
    );
    expect(first.body).toContain('<h1 class="page-title">All occasions</h1>');
    expect(first.body).toContain('href="/occasions/birthday"');
    // Only this site's occasions: the partner's catalog has no Thanksgiving.
    expect(first.body).not.toContain('href="/occasions/thanksgiving"');
    expect((await get('/occasions', HOSTS.flagship)).body).toContain(
      'href="/occasions/thanksgiving"',
    );
  });

  it("sends the partner's “All cards” to the occasions index, marked current there", async () => {
    const home = await get('/', HOSTS.partner);
    expect(home.body).toContain('<a href="/occasions">All cards</a>');
    const index = await get('/occasions', HOSTS.partner);
    expect(index.body).toContain('<a href="/occasions" aria-current="page">All cards</a>');
    const flagship = await get('/', HOSTS.flagship);
    expect(flagship.body).toContain('<a href="/occasions">Occasions</a>');
  });

  it.each([
    [HOSTS.flagship, 'ecardia'],
    [HOSTS.partner, 'kindred'],
    [HOSTS.uk, 'merrypost'],
  ])("answers /favicon.ico on %s with the site's own fingerprinted icon", async (host, id) => {
    const res = await get('/favicon.ico', host);
    expect(res.statusCode).toBe(301);
    const location = String(res.headers.location);
    expect(location).toMatch(new RegExp(`^/assets/${id}/favicon\\.[0-9a-f]{12}\\.svg$`));
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const icon = await get(location, host);
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toContain('immutable');
    expect(icon.body).toMatch(/^<svg [^>]*viewBox="0 0 32 32"/);
    const page = await get('/', host);
    expect(page.body).toContain(`<link rel="icon" href="${location}" type="image/svg+xml">`);
  });
});
