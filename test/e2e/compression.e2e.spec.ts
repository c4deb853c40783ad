import { createHash, randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Pages, stylesheets and icons travel compressed to a browser that takes brotli or gzip, and
 * exactly as before to one that does not. A stored page is compressed when it is stored and
 * its hits send those bytes. The app has a version of its own, so its page-cache keys are its.
 */
describe('compressed responses', () => {
  let app: TestApp;
  let card: string;

  beforeAll(async () => {
    app = await startTestApp({ APP_VERSION: `test-${randomUUID()}` });
    card = await firstCardSlug(app, HOSTS.partner);
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}, host: string = HOSTS.partner) =>
    app.request({ method: 'GET', url, host, headers });

  it('stores a card page once and serves it in the encoding each browser takes', async () => {
    const first = await get(`/cards/${card}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers.vary).toBe('Accept-Encoding');
    const page = brotliDecompressSync(first.bytes).toString('utf8');
    expect(page).toContain('</html>');

    const plain = await get(`/cards/${card}`);
    expect(plain.headers['x-cache']).toBe('HIT');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body).toBe(page);
    expect(plain.bytes.length).toBeGreaterThan(first.bytes.length * 2);

    const brotli = await get(`/cards/${card}`, { 'accept-encoding': 'br' });
    expect(brotli.headers['x-cache']).toBe('HIT');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(Number(brotli.headers['content-length'])).toBe(brotli.bytes.length);
    expect(brotliDecompressSync(brotli.bytes).toString('utf8')).toBe(page);

    const gzip = await get(`/cards/${card}`, { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['x-cache']).toBe('HIT');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.bytes).toString('utf8')).toBe(page);

    // One page in three representations: the compressed ones carry the weak form of its tag.
    expect(plain.headers.etag).toMatch(/^"[^"]+"$/);
    expect(brotli.headers.etag).toBe(`W/${String(plain.headers.etag)}`);
    for (const tag of [String(plain.headers.etag), String(brotli.headers.etag)]) {
      const again = await get(`/cards/${card}`, { 'accept-encoding': 'br', 'if-none-match': tag });
      expect(again.statusCode).toBe(304);
      expect(again.bytes.length).toBe(0);
    }
  });

  it('compresses stylesheets and icons, and leaves images as they are', async () => {
    const home = await get('/');
    const css = /href="(\/assets\/base\/css\/app\.[0-9a-f]+\.css)"/.exec(home.body)?.[1];
    expect(css).toBeDefined();
    const plain = await get(css ?? '');
    const brotli = await get(css ?? '', { 'accept-encoding': 'br, gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(brotli.bytes).equals(plain.bytes)).toBe(true);
    expect(brotli.bytes.length).toBeLessThan(plain.bytes.length / 2);
    // Minified as served, and its address is the fingerprint of those bytes.
    expect(plain.body).not.toContain('/*');
    expect(plain.body).toMatch(/^:root\{--brand:/);
    const hash = createHash('sha256').update(plain.bytes).digest('hex').slice(0, 12);
    expect(css).toContain(`.${hash}.css`);
    const icon = await get('/favicon.ico');
    const svg = await get(String(icon.headers.location), { 'accept-encoding': 'gzip' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(svg.bytes).length).toBeGreaterThan(svg.bytes.length);
  });

  it("compresses a card's artwork once, and sends it as it is to a browser that takes none", async () => {
    const page = await get(`/cards/${card}`);
    const image = /src="(\/media\/cards\/[^"]+\.svg)"/.exec(page.body)?.[1] ?? '';
    expect(image).not.toBe('');
    const plain = await get(image);
    const brotli = await get(image, { 'accept-encoding': 'br, gzip' });
    const again = await get(image, { 'accept-encoding': 'br, gzip' });
    const gzip = await get(image, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.etag).toBe(`W/${String(plain.headers.etag)}`);
    expect(brotliDecompressSync(brotli.bytes).equals(plain.bytes)).toBe(true);
    expect(again.bytes.equals(brotli.bytes)).toBe(true);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
    expect(brotli.headers['content-security-policy']).toBe(
      plain.headers['content-security-policy'],
    );
  });

  it('compresses a search page not stored because too few ask for it', async () => {
    const res = await get(`/search?q=birthday+${Date.now().toString(36)}`, {
      'accept-encoding': 'br',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-cache']).toBeUndefined();
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.bytes).toString('utf8')).toContain('</html>');
  });

  it('compresses pages that are never stored, such as the compose form', async () => {
    const form = await get(`/cards/${card}/send`, { 'accept-encoding': 'gzip' });
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toMatch(/no-store|private/);
    expect(form.headers['content-encoding']).toBe('gzip');
    expect(String(form.headers.vary)).toMatch(/Accept-Encoding/);
    expect(gunzipSync(form.bytes).toString('utf8')).toContain('<form');
    const plain = await get(`/cards/${card}/send`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('<form');
  });
});
