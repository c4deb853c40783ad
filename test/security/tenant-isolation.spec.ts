import type { DataSource } from 'typeorm';
import { openTestDb } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { apiGreeting, greetingsOf, rawRequest, startDefendedApp } from './support.js';

/** Each tenant's brand, as its pages show it. */
const BRAND = { flagship: 'Ecardia', partner: 'Kindred Paper Co.' };

describe('attack: picking or poisoning another tenant through the Host and proxy headers', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    t = await startDefendedApp();
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const raw = (lines: string[], body = '') =>
    rawRequest(t.port, `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`);

  it('refuses a repeated Host header instead of picking one', async () => {
    const res = await raw(['GET / HTTP/1.1', `Host: ${HOSTS.flagship}`, `Host: ${HOSTS.partner}`]);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain(BRAND.flagship);
    expect(res.body).not.toContain(BRAND.partner);
  });

  it('refuses an absolute-form request target naming another host', async () => {
    const res = await raw([`GET http://${HOSTS.partner}/ HTTP/1.1`, `Host: ${HOSTS.flagship}`]);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain(BRAND.partner);
  });

  it.each([
    [`${HOSTS.partner}@evil.example`],
    [`evil.example/${HOSTS.partner}`],
    [`${HOSTS.partner}:80:80`],
    [`${HOSTS.partner}:abc`],
    ['..'],
    [`${HOSTS.partner}\t.evil`],
  ])('refuses the malformed Host %j', async (host) => {
    const res = await raw(['GET / HTTP/1.1', `Host: ${host}`]);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain(BRAND.partner);
    expect(res.body).not.toContain(BRAND.flagship);
  });

  it('answers an unknown host with a neutral 404, never a tenant page', async () => {
    const page = await t.request({ method: 'GET', url: '/', host: 'evil.example' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.body).not.toContain(BRAND.flagship);
    const api = await t.request({ method: 'GET', url: '/api/cards', host: 'evil.example' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    ['X-Forwarded-Host', { 'x-forwarded-host': 'evil.example' }],
    ['X-Host', { 'x-host': 'evil.example' }],
    ['X-Forwarded-Server', { 'x-forwarded-server': 'evil.example' }],
    ['Forwarded', { forwarded: 'host=evil.example;proto=https' }],
    ['X-Forwarded-Scheme', { 'x-forwarded-scheme': 'nothttps', 'x-forwarded-proto': 'gopher' }],
    ['X-Forwarded-Port', { 'x-forwarded-port': '1337' }],
    ['X-Original-URL', { 'x-original-url': '/admin/queues' }],
    ['X-Rewrite-URL', { 'x-rewrite-url': '/occasions/evil' }],
    ['X-HTTP-Method-Override', { 'x-http-method-override': 'POST' }],
    ['a cookie', { cookie: 'site=kindred; theme=evil.example' }],
    ['Accept-Language', { 'accept-language': 'evil' }],
  ])('an unkeyed %s header changes neither the page nor its cache entry', async (_n, headers) => {
    const url = `/cards/${card}`;
    const attack = await t.request({ method: 'GET', url, host: HOSTS.partner, headers });
    expect(attack.body).not.toContain('evil.example');
    expect(attack.body).not.toContain('1337');
    const clean = await t.request({ method: 'GET', url, host: HOSTS.partner });
    expect(clean.statusCode).toBe(200);
    expect(clean.body).toContain(BRAND.partner);
    expect(clean.body).not.toContain('evil');
    expect(clean.body).not.toContain('1337');
    expect(clean.body).toContain(`href="http://${HOSTS.partner}:8080${url}"`);
  });

  it.each([
    ['parameter cloaking with ;', '/occasions/birthday?page=1;page=2'],
    ['utm cloaking', '/occasions/birthday?utm_content=x;page=2'],
    ['duplicated parameters', '/occasions/birthday?page=1&page=2'],
    ['an encoded path', '/occasions/%62irthday'],
    ['an encoded slash', '/occasions%2Fbirthday'],
    ['capitals', '/Occasions/Birthday'],
    ['a trailing slash', '/occasions/birthday/'],
    ['a dot segment', '/./occasions/birthday'],
    ['a double slash', '//occasions/birthday'],
    ['a script in the query', '/occasions/birthday?page=<script>alert(1)</script>'],
  ])('%s cannot store a variant under the clean key', async (_n, url) => {
    const first = await t.request({
      method: 'GET',
      url: '/occasions/birthday',
      host: HOSTS.partner,
    });
    await t.request({ method: 'GET', url, host: HOSTS.partner });
    const after = await t.request({
      method: 'GET',
      url: '/occasions/birthday',
      host: HOSTS.partner,
    });
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe(first.body);
    expect(after.body).not.toContain('<script>alert');
  });

  it('a fat GET body changes nothing', async () => {
    const url = `/cards/${card}`;
    const body = 'cardSlug=evil&host=evil.example';
    await raw(
      [
        `GET ${url} HTTP/1.1`,
        `Host: ${HOSTS.partner}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${body.length}`,
      ],
      body,
    );
    const clean = await t.request({ method: 'GET', url, host: HOSTS.partner });
    expect(clean.body).not.toContain('evil');
    expect(clean.body).toContain(BRAND.partner);
  });

  it('builds pickup links from the canonical host, never from request headers', async () => {
    const sender = `hdr.${Date.now()}@example.com`;
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: 'kindred.localhost:9999',
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      payload: apiGreeting(card, sender),
    });
    expect(res.statusCode).toBe(201);
    const { recipients } = res.json<{ recipients: { pickupUrl: string }[] }>();
    expect(recipients[0]?.pickupUrl).toMatch(
      new RegExp(`^http://${HOSTS.partner.replace(/\./g, '\\.')}:8080/p/`),
    );
    expect(await greetingsOf(db, sender)).toBe(1);
  });

  it("does not open one site's pickup link on another site", async () => {
    const sender = `cross.${Date.now()}@example.com`;
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: apiGreeting(card, sender),
    });
    const path = new URL(
      res.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '',
    ).pathname;
    const elsewhere = await t.request({ method: 'GET', url: path, host: HOSTS.flagship });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.body).not.toContain('Ann');
  });
});
