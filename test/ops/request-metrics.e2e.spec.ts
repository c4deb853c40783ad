import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/db.js';
import { sampleValue } from './support/scrape.js';

describe('request metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const scrape = (): Promise<string> => t.scrapeMetrics();

  const requests = (scraped: string, labels: Record<string, string>): number =>
    sampleValue(scraped, 'http_request_duration_seconds_count', labels);

  it('counts responses per route template and site, page-cache hits included', async () => {
    const before = await scrape();
    const home = { route: '/', method: 'GET', status: '200' };
    for (let i = 0; i < 3; i++) await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    const cached = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(cached.headers['x-cache']).toBe('HIT');
    await t.request({ method: 'GET', url: '/', host: HOSTS.uk });
    const after = await scrape();
    const partner = { ...home, site: 'kindred' };
    expect(requests(after, partner) - requests(before, partner)).toBe(4);
    const uk = { ...home, site: 'merrypost' };
    expect(requests(after, uk) - requests(before, uk)).toBe(1);
    expect(after).toMatch(/http_request_duration_seconds_bucket\{[^}]*le="0\.1"/);
  });

  it('counts accepted greetings per site', async () => {
    const slug = await firstCardSlug(t, HOSTS.partner);
    const before = sampleValue(await scrape(), 'ecard_greetings_accepted_total', {
      site: 'kindred',
    });
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: {
        cardSlug: slug,
        sender: { name: 'Ann', email: uniqueEmail('metrics-ann') },
        recipients: [{ name: 'Bob', email: uniqueEmail('metrics-bob') }],
        message: 'Hello',
      },
    });
    expect(res.statusCode).toBe(201);
    const after = sampleValue(await scrape(), 'ecard_greetings_accepted_total', {
      site: 'kindred',
    });
    expect(after - before).toBe(1);
  });
});
