import fc from 'fast-check';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { AssetManifest } from '../../src/assets/asset-manifest.js';
import { parseSendGreeting } from '../../src/greetings/dto/send-greeting.schema.js';
import { SiteViews } from '../../src/rendering/site-views.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, testConfig, type TestApp } from '../support/test-app.js';
import { apiGreeting, greetingsOf, startDefendedApp } from './support.js';

const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LIMITS = { maxRecipients: 10, maxMessageLength: 2000 };
const NOW = new Date('2026-06-01T12:00:00Z');

describe('attack: hostile input to the send API', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback' });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  let ip = 0;
  const send = (payload: object | string, headers: Record<string, string> = {}) =>
    t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: { 'x-forwarded-for': `192.0.2.${++ip}`, ...headers },
      payload,
    });

  it.each([
    ['a CRLF in the sender name', { sender: { name: 'Ann\r\nBcc: all@example.com' } }],
    ['a bidi override in a name', { sender: { name: 'Ann\u202Egnp.exe' } }],
    ['an isolate in a name', { sender: { name: '\u2066Ann' } }],
    ['a NUL in the message', { message: 'hi\u0000there' }],
    ['an unknown field', { bcc: 'all@example.com' }],
    ['an unknown nested field', { sender: { name: 'Ann', isAdmin: true } }],
    [
      'an address with a header in it',
      { sender: { name: 'Ann', email: 'a@example.com\r\nBcc: x@y.z' } },
    ],
    [
      'too many recipients',
      {
        recipients: Array.from({ length: 11 }, (_, i) => ({
          name: 'B',
          email: `b${i}@example.com`,
        })),
      },
    ],
    ['a message over the limit', { message: 'x'.repeat(2001) }],
  ])('refuses %s with a 400 problem and writes nothing', async (_n, override) => {
    const sender = uniqueEmail('hostile');
    const body = apiGreeting(card, sender);
    const merged = {
      ...body,
      ...override,
      ...('sender' in override ? { sender: { ...body.sender, ...override.sender } } : {}),
    };
    const res = await send(merged);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('refuses JSON nested too deep and lists too long before validating them', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 500; i++) deep = [deep];
    expect((await send({ ...apiGreeting(card), message: deep })).statusCode).toBe(400);
    const long = { ...apiGreeting(card), recipients: Array.from({ length: 5000 }, () => ({})) };
    expect((await send(long)).statusCode).toBe(400);
  });

  it('refuses a body over the route limit with 413', async () => {
    const sender = uniqueEmail('big');
    const res = await send({ ...apiGreeting(card, sender), message: 'x'.repeat(40 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('refuses a cross-site text/plain "JSON" post', async () => {
    const sender = uniqueEmail('plain');
    const res = await send(JSON.stringify(apiGreeting(card, sender)), {
      'content-type': 'text/plain',
    });
    expect(res.statusCode).toBe(415);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('shows a hostile message as text: escaped, line breaks kept, links and templates inert', async () => {
    const message =
      'Line one\n<script>alert(1)</script>\n{{ 7*7 }} {% raw %} ${7*7}\nhttps://evil.example/login';
    const res = await send({ ...apiGreeting(card, 'ann.sender@example.com'), message });
    const pickup =
      res.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '';
    const page = await t.request({
      method: 'GET',
      url: new URL(pickup).pathname,
      host: HOSTS.flagship,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;\n{{ 7*7 }} {% raw %} ${7*7}',
    );
    expect(page.body).not.toContain('>49<');
    expect(page.body).not.toMatch(/href="https:\/\/evil\.example/);
    expect(page.body).toContain('ann.sender@example.com');
    expect(page.body).toContain('never ask you for a password');
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });

  it('sends strict security headers on pages, cache hits and refusals', async () => {
    for (const [url, host] of [
      ['/', HOSTS.flagship],
      ['/', HOSTS.flagship],
      ['/', 'evil.example'],
    ] as const) {
      const res = await t.request({ method: 'GET', url, host });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBeDefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

describe('properties of the send validator and the message renderer', () => {
  it('never throws, and whatever it accepts is safe for mail headers and within limits', () => {
    const text = fc.string({ unit: 'binary', maxLength: 120 });
    const person = fc.record({ name: text, email: fc.oneof(fc.emailAddress(), text) });
    fc.assert(
      fc.property(
        fc.record({
          sender: person,
          recipients: fc.array(person, { maxLength: 12 }),
          message: fc.string({ unit: 'binary', maxLength: 2100 }),
        }),
        fc.anything(),
        (input, junk) => {
          expect(() => parseSendGreeting(junk, LIMITS, 'UTC', NOW)).not.toThrow();
          const result = parseSendGreeting({ cardSlug: 'a-card', ...input }, LIMITS, 'UTC', NOW);
          if (!result.ok) return;
          const { command } = result;
          for (const p of [command.sender, ...command.recipients]) {
            expect(UNSAFE_IN_NAMES.test(p.name) || UNSAFE_IN_NAMES.test(p.email)).toBe(false);
            expect(p.name).toBe(p.name.normalize('NFC'));
            expect(p.name.length).toBeGreaterThan(0);
          }
          expect(command.recipients.length).toBeLessThanOrEqual(LIMITS.maxRecipients);
          expect(command.message.length).toBeLessThanOrEqual(LIMITS.maxMessageLength);
          expect(new Set(command.recipients.map((r) => r.email.toLowerCase())).size).toBe(
            command.recipients.length,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('renders any message as escaped text that reads back exactly', () => {
    const config = testConfig();
    const registry = SiteRegistry.load(config);
    const assets = new AssetManifest();
    assets.addFolder('base', resolve(config.paths.public));
    for (const site of registry.sites) assets.addFolder(site.id, join(site.dir, 'public'));
    const views = new SiteViews(registry.sites, assets, config.paths.views, false);
    const site = registry.get('kindred');
    if (!site) throw new Error('no kindred site');
    const unescape = (html: string) =>
      html
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&#92;/g, '\\')
        .replace(/&amp;/g, '&');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ maxLength: 40 }),
        (message, name) => {
          const html = views.render(site, 'pages/pickup.njk', {
            card: {
              slug: 'c',
              title: 'T',
              imageUrl: '/i.svg',
              insideText: '',
              occasion: { slug: 'o' },
            },
            greeting: {
              senderName: name,
              senderEmail: 'a@example.com',
              message: `x${message}`,
              messageStyle: 'font-classic ink-charcoal',
              sentAtText: '',
            },
            recipient: { name: 'R' },
            requestPath: '/p/x',
          });
          const body =
            /<div class="message font-classic ink-charcoal">([\s\S]*?)<\/div>/.exec(html)?.[1] ??
            '';
          expect(body).not.toMatch(/[<>]/);
          expect(unescape(body)).toBe(`x${message}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
