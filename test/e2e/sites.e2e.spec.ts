import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

describe('co-branded sites by Host', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    [HOSTS.flagship, 'Ecardia'],
    [HOSTS.partner, 'Kindred Paper Co.'],
    [HOSTS.uk, 'Merry Post'],
    ['localhost', 'Ecardia'],
    ['127.0.0.1:8080', 'Ecardia'],
    ['kindred.localhost', 'Kindred Paper Co.'],
    ['merrypost.localhost', 'Merry Post'],
  ])('%s serves its own brand on /', async (host, brand) => {
    const res = await t.request({ method: 'GET', url: '/', host });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(`<title>`);
    expect(res.body).toContain(brand);
  });

  it('gives each site its own brand and no other', async () => {
    const partner = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(partner.body).not.toContain('Merry Post');
    const uk = await t.request({ method: 'GET', url: '/', host: HOSTS.uk });
    expect(uk.body).not.toContain('Kindred');
  });

  it('reads Host case-insensitively and without its port', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/',
      host: 'CARDS.KindredPaper.Example:8080',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Kindred Paper Co.');
  });

  it.each([
    ['evil.example', 404],
    ['ecardia.example.evil.test', 404],
    ['', 400],
    ['a b', 400],
    ['www.ecardia.example/x', 400],
  ])('answers an unknown or malformed host (%p) with a neutral %p', async (host, status) => {
    const res = await t.request({ method: 'GET', url: '/', host });
    expect(res.statusCode).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const brand of ['Ecardia', 'Kindred', 'Merry Post']) expect(res.body).not.toContain(brand);
  });

  it('never lets X-Forwarded-Host pick the tenant', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/',
      host: HOSTS.flagship,
      headers: { 'x-forwarded-host': HOSTS.partner, 'x-forwarded-proto': 'https' },
    });
    expect(res.body).toContain('Ecardia');
    expect(res.body).not.toContain('Kindred Paper Co.');
    const unknown = await t.request({
      method: 'GET',
      url: '/',
      host: 'evil.example',
      headers: { 'x-forwarded-host': HOSTS.flagship },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("renders the partner's own header and footer templates over the shared ones", async () => {
    const partner = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(partner.body).toContain('Ecards in partnership with Ecardia');
    const flagship = await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
    expect(flagship.body).not.toContain('in partnership with Ecardia');
  });

  it("links each site's own stylesheet and logo with fingerprinted URLs", async () => {
    const res = await t.request({ method: 'GET', url: '/', host: HOSTS.partner });
    const links = [...res.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(links.some((l) => /^\/assets\/kindred\/theme\.[0-9a-f]{12}\.css$/.test(l))).toBe(true);
    expect(links.some((l) => /^\/assets\/base\/css\/app\.[0-9a-f]{12}\.css$/.test(l))).toBe(true);
    for (const link of links) {
      const asset = await t.request({ method: 'GET', url: link, host: HOSTS.partner });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const again = await t.request({
        method: 'GET',
        url: link,
        host: HOSTS.partner,
        headers: { 'if-none-match': String(asset.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    }
  });

  it('sets security headers on pages', async () => {
    const res = await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['a page', { url: '/', host: HOSTS.flagship }, 200],
    ['a missing card', { url: '/cards/no-such-card', host: HOSTS.partner }, 404],
    ['an unknown host', { url: '/', host: 'nobody.example' }, 404],
    ['a malformed Host', { url: '/', host: 'bad host!' }, 400],
    ['an invalid API key', { url: '/api/cards', host: HOSTS.partner, key: 'wrong' }, 401],
    ['an API route', { url: '/api/cards?limit=1', host: HOSTS.partner }, 200],
  ])('answers %s with the security, request id and version headers', async (_, req, status) => {
    const res = await t.request({
      method: 'GET',
      url: req.url,
      host: req.host,
      headers: 'key' in req ? { 'x-api-key': String(req.key) } : {},
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-app-version']).toMatch(/\S/);
  });

  it('answers health checks on any host', async () => {
    const live = await t.request({ method: 'GET', url: '/health/live', host: '10.0.0.1' });
    expect(live.statusCode).toBe(200);
    const ready = await t.request({ method: 'GET', url: '/health/ready', host: 'whatever' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      checks: { 'database.primary': 'up', 'database.replica-0': 'up', redis: 'up' },
    });
  });
});
