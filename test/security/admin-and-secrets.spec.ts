import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { DatabaseService } from '../../src/platform/database/database.service.js';
import { PersonalDataRetention } from '../../src/security/personal-data-retention.js';
import { SenderPhotoStore } from '../../src/platform/photos/sender-photo-store.js';
import { signInAdmin } from '../support/browser-forms.js';
import { countRows, openTestDb } from '../support/db.js';
import { firstCardSlug, HOSTS, testConfig, type TestApp } from '../support/test-app.js';
import { apiGreeting, configProblems, startDefendedApp } from './support.js';

const AUTH = { authorization: 'Bearer development-only-admin-token' };

describe('attack: reaching /admin without the credential, from a partner host, by guessing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());
  let ip = 0;
  const admin = (url: string, headers: Record<string, string>, host: string = HOSTS.flagship) =>
    t.request({
      method: 'POST',
      url,
      host,
      headers: { 'x-forwarded-for': `100.64.0.${++ip}`, ...headers },
      // A tag no page carries: these tests are about the token, and purging `home` would turn
      // other files' expected hits into misses.
      payload: { tags: ['card:admin-token-probe'] },
    });

  it.each([
    ['/admin/api/cache/purge'],
    ['/%61dmin/api/cache/purge'],
    ['/admin/queues'],
    ['/admin/anything-added-later'],
  ])('refuses %s without the token, uncached', async (url) => {
    const res = await admin(url, {});
    expect([401, 404]).toContain(res.statusCode);
    expect(res.statusCode).not.toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('sends a browser to sign in on admin pages and asks scripts for Bearer on the API', async () => {
    const page = await t.request({
      method: 'GET',
      url: '/admin/queues',
      host: HOSTS.flagship,
      headers: { 'x-forwarded-for': '100.64.7.2' },
    });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/admin/sign-in');
    const api = await admin('/admin/api/cache/purge', {});
    expect(api.statusCode).toBe(401);
    expect(api.headers['www-authenticate']).toBe('Bearer');
  });

  it('takes no Basic login anywhere, the right token as its password included', async () => {
    const basic = `Basic ${Buffer.from('anyone:development-only-admin-token').toString('base64')}`;
    const api = await admin('/admin/api/cache/purge', { authorization: basic });
    expect(api.statusCode).toBe(401);
    const change = await admin('/admin/flags', { authorization: basic });
    expect(change.statusCode).toBe(401);
  });

  it.each([
    ['Origin of another site', { origin: 'https://attacker.example' }],
    ['Origin null', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }],
  ])('refuses a change driven by a signed-in browser from %s', async (_label, headers) => {
    const from = { 'x-forwarded-for': `100.64.6.${++ip}` };
    const { cookie } = await signInAdmin(t, HOSTS.flagship, from);
    const res = await admin('/admin/flags', { ...from, cookie, ...headers });
    expect(res.statusCode).toBe(403);
  });

  it("does not count a visit without a credential as a guess (a browser's first request)", async () => {
    const from = { 'x-forwarded-for': '100.64.8.8' };
    for (let i = 0; i < 12; i++) {
      const res = await t.request({
        method: 'GET',
        url: '/admin/flags',
        host: HOSTS.flagship,
        headers: from,
      });
      expect(res.statusCode).toBe(303);
    }
    const right = await admin('/admin/api/cache/purge', { ...from, ...AUTH });
    expect(right.statusCode).toBe(200);
  });

  it('accepts the token on the flagship, with no-store', async () => {
    const res = await admin('/admin/api/cache/purge', AUTH);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("refuses the admin API on a partner's host even with the token", async () => {
    const res = await admin('/admin/api/cache/purge', AUTH, HOSTS.partner);
    expect(res.statusCode).toBe(403);
  });

  it('locks a client out after too many wrong tokens, the right one included', async () => {
    const from = { 'x-forwarded-for': '100.64.9.9' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await admin('/admin/api/cache/purge', {
        ...from,
        authorization: `Bearer guess-${i}`,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const right = await admin('/admin/api/cache/purge', { ...from, ...AUTH });
    expect(right.statusCode).toBe(429);
  });
});

describe('secrets in production', () => {
  const production = {
    APP_STAGE: 'production',
    DATABASE_URL: 'mysql://ecard:pw@db.internal/ecard',
    REDIS_URL: 'redis://:r3dis-pw@redis.internal:6379',
    SMTP_URL: 'smtp://smtp.internal:25',
    PICKUP_TOKEN_SECRET: 'p9F2kQ7vX1mZ8rT4wB6nC3yH5jL0sD2g',
    ADMIN_TOKEN: 'a7G3hK9pQ2xV5mN8rT1wZ4cB6yJ0sL3f',
    ALTCHA_HMAC_KEY: 'w4Hq8Ls2Nd6Kx0Vb3Tf7Rm1Gc9Pz5YjE',
    BOUNCE_DOMAIN: 'bounces.ecard.example',
    DKIM_KEY_ENCRYPTION_KEY: 'q3VhKx8ZbN2mT7cR4wY9fL1pD6sG0jHaE5uI8oB2nCk=',
  };
  const problems = configProblems;

  it('boots with strong secrets, HSTS on', () => {
    expect(loadConfig(production).security.hsts).toBe(true);
  });

  it.each([
    ['a missing admin token', { ADMIN_TOKEN: '' }, 'ADMIN_TOKEN'],
    ['a short admin token', { ADMIN_TOKEN: 'short-token' }, 'ADMIN_TOKEN'],
    ['a repetitive secret', { PICKUP_TOKEN_SECRET: 'a'.repeat(40) }, 'PICKUP_TOKEN_SECRET'],
    [
      'the development pickup secret',
      { PICKUP_TOKEN_SECRET: 'development-only-pickup-secret-change-me' },
      'PICKUP_TOKEN_SECRET',
    ],
    [
      'one secret for two purposes',
      { ADMIN_TOKEN: production.PICKUP_TOKEN_SECRET },
      'must all be different',
    ],
    ['a short API key', { API_KEYS: 'partner=short' }, 'API_KEYS'],
    ['trusting every proxy', { TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    ['a bad proxy list', { TRUST_PROXY: '10.0.0.0/8,not-an-ip' }, 'TRUST_PROXY'],
    ['a Redis without a password', { REDIS_URL: 'redis://redis.internal:6379' }, 'REDIS_URL'],
    [
      'a cache Redis without a password',
      { REDIS_CACHE_URL: 'redis://cache.internal:6379' },
      'REDIS_URL: production refuses a Redis without a password',
    ],
    [
      'a Sentinel master without a password',
      { REDIS_QUEUE_URL: 'redis+sentinel://s1:26379/m?sentinelPassword=x' },
      'REDIS_URL',
    ],
  ])('refuses %s', (_n, override, expected) => {
    const env = { ...production, ...override } as Record<string, string>;
    if (env.ADMIN_TOKEN === '') delete env.ADMIN_TOKEN;
    expect(problems(env).join('\n')).toContain(expected);
  });
});

describe('personal data retention', () => {
  let db: DataSource;
  let t: TestApp;
  let card: string;
  beforeAll(async () => {
    db = await openTestDb();
    t = await startDefendedApp({ RATE_LIMIT_IP_SENDS_PER_HOUR: '100' });
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  it('empties names, addresses and messages of old greetings, keeping the counts', async () => {
    const oldSender = `old.${randomUUID()}@example.com`;
    const newSender = `new.${randomUUID()}@example.com`;
    const sent = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: apiGreeting(card, oldSender, 2),
    });
    const kept = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: apiGreeting(card, newSender),
    });
    const { id } = sent.json<{ id: string }>();
    const keptId = kept.json<{ id: string }>().id;
    // This test's greetings only: files running beside it send greetings of their own.
    const ownRecipients = () =>
      countRows(db, 'SELECT COUNT(*) AS n FROM greeting_recipients WHERE greeting_id IN (?, ?)', [
        id,
        keptId,
      ]);
    // The old one was sent 100 days ago and delivered.
    await db.query(`UPDATE greetings SET created_at = NOW() - INTERVAL 100 DAY WHERE id = ?`, [id]);
    await db.query(`UPDATE greeting_recipients SET status = 'delivered' WHERE greeting_id = ?`, [
      id,
    ]);
    const total = await ownRecipients();
    expect(total).toBe(3);

    const retention = new PersonalDataRetention(
      testConfig(),
      t.app.get(DatabaseService),
      t.app.get(SenderPhotoStore),
    );
    expect(await retention.purge()).toBeGreaterThanOrEqual(1);

    const [greeting] = await db.query<
      { sender_name: string; sender_email: string; message: string; removed: Date | null }[]
    >(
      'SELECT sender_name, sender_email, message, personal_data_removed_at AS removed FROM greetings WHERE id = ?',
      [id],
    );
    expect(greeting).toMatchObject({ sender_name: '', sender_email: '', message: '' });
    expect(greeting?.removed).not.toBeNull();
    const recipients = await db.query<{ name: string; email: string }[]>(
      'SELECT name, email FROM greeting_recipients WHERE greeting_id = ?',
      [id],
    );
    expect(recipients).toEqual([
      { name: '', email: '' },
      { name: '', email: '' },
    ]);
    expect(await ownRecipients()).toBe(total);
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [
        newSender,
      ]),
    ).toBe(1);

    const pickup =
      sent.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '';
    const page = await t.request({
      method: 'GET',
      url: new URL(pickup).pathname,
      host: HOSTS.flagship,
    });
    expect(page.statusCode).toBe(404);
  });
});
