import type { DataSource } from 'typeorm';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import type { AccountClient } from '../support/account-client.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { acceptLink } from '../support/partner-console.js';
import type { TestResponse } from '../support/http-client.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** Within this long of a revocation returning, every web process refuses the key. */
const REFUSED_WITHIN_MS = 1000;

/**
 * Site-bound API keys through HTTP and two web processes: made in the console, sending on their
 * own site only and within their scopes, refused by the other process once revoked.
 */
describe('partner API keys', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;
  let op: AccountClient;
  const siteId = 'keyco-cards';
  const hostname = 'cards.keyco.example';

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestApp({ TRUST_PROXY: 'loopback' }),
      startTestApp({ TRUST_PROXY: 'loopback' }),
    ]);
    db = await openTestDb();
    const link = new URL(await operatorLink(a.config, uniqueEmail('key-operator')));
    op = await acceptLink(
      a,
      link.pathname + link.search,
      'partner key passphrase',
      '198.51.100.77',
    );
    const made = await op.submit('/partner', '/partner/partners', [
      ['partnerId', 'keyco'],
      ['partnerName', 'Keyco Ltd'],
      ['siteId', siteId],
      ['siteName', 'Keyco Cards'],
      ['hostname', hostname],
      ['adminEmail', uniqueEmail('keyco-admin')],
    ]);
    expect(made.statusCode).toBe(303);
  });
  afterAll(async () => {
    await db.destroy();
    await Promise.all([a.close(), b.close()]);
  });

  async function makeKey(name: string, scopes: string[]): Promise<string> {
    const res = await op.submit(`/partner/sites/${siteId}/keys`, `/partner/sites/${siteId}/keys`, [
      ['name', name],
      ...scopes.map((s): [string, string] => ['scopes', s]),
    ]);
    expect(res.statusCode).toBe(200);
    return /id="key-secret">([^<]+)</.exec(res.body)?.[1] ?? '';
  }

  async function send(app: TestApp, host: string, key: string): Promise<TestResponse> {
    return app.request({
      method: 'POST',
      url: '/api/greetings',
      host,
      headers: { 'x-api-key': key },
      payload: {
        cardSlug: await firstCardSlug(app, host),
        sender: { name: 'Kay Sender', email: uniqueEmail('kay') },
        recipients: [{ name: 'Lee', email: uniqueEmail('lee') }],
        message: 'Hello from a partner system',
      },
    });
  }

  it('sends with a key on its own site, refuses it elsewhere, and stops it everywhere once revoked', async () => {
    const secret = await makeKey('CRM', ['send']);
    expect(secret).toMatch(/^eck_[A-Za-z0-9_-]{43}$/);
    const stored = await db.query<{ secret_sha256: string; scopes: string }[]>(
      'SELECT secret_sha256, scopes FROM site_api_keys WHERE site_id = ?',
      [siteId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    // Shown once: the list never carries the secret again.
    expect((await op.get(`/partner/sites/${siteId}/keys`)).body).not.toContain(secret);

    expect((await send(a, hostname, secret)).statusCode).toBe(201);
    expect((await send(b, hostname, secret)).statusCode).toBe(201);
    const elsewhere = await send(a, HOSTS.flagship, secret);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.headers['content-type']).toContain('application/problem+json');
    expect(elsewhere.body).toContain('another site');
    // Outside its scopes: no catalog reads, no admin or report APIs.
    const catalog = await a.request({
      method: 'GET',
      url: '/api/cards',
      host: hostname,
      headers: { 'x-api-key': secret },
    });
    expect(catalog.statusCode).toBe(403);
    const reports = await a.request({
      method: 'GET',
      url: `/admin/api/reports/${siteId}.json`,
      host: hostname,
      headers: { 'x-api-key': secret },
    });
    expect(reports.statusCode).toBe(403);
    const forged = await send(a, hostname, `eck_${'A'.repeat(43)}`);
    expect(forged.statusCode).toBe(401);

    const keys = await op.get(`/partner/sites/${siteId}/keys`);
    const revokeAction = /action="(\/partner\/sites\/[^"]+\/revoke)"/.exec(keys.body)?.[1] ?? '';
    const revoked = await op.submit(`/partner/sites/${siteId}/keys`, revokeAction, []);
    expect(revoked.statusCode).toBe(303);
    const started = performance.now();
    let status = 0;
    while (performance.now() - started < REFUSED_WITHIN_MS * 2) {
      status = (await send(b, hostname, secret)).statusCode;
      if (status === 401) break;
    }
    expect(status).toBe(401);
    expect(performance.now() - started).toBeLessThan(REFUSED_WITHIN_MS);

    const audit = await db.query<{ action: string; after_json: string | null }[]>(
      "SELECT action, after_json FROM partner_audit WHERE site_id = ? AND action LIKE 'api-key.%' ORDER BY id",
      [siteId],
    );
    expect(audit.map((r) => r.action)).toEqual(['api-key.create', 'api-key.revoke']);
    expect(audit.map((r) => r.after_json ?? '').join()).not.toContain(secret);
  });

  it('reads the catalog with a read-catalog key, and refuses a key form without a name or scope', async () => {
    const reader = await makeKey('Catalog sync', ['read-catalog']);
    const cards = await b.request({
      method: 'GET',
      url: '/api/cards',
      host: hostname,
      headers: { 'x-api-key': reader },
    });
    expect(cards.statusCode).toBe(200);
    expect((await send(b, hostname, reader)).statusCode).toBe(403);

    const bad = await op.submit(`/partner/sites/${siteId}/keys`, `/partner/sites/${siteId}/keys`, [
      ['name', ' '],
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Name: 1 to 60 characters');
    expect(bad.body).toContain('What it may do: choose at least one');
    expect(bad.body).not.toContain('id="key-secret"');
  });

  it("reads its own site's reports with a read-reports key, and nothing else", async () => {
    const reports = await makeKey('Reports to our BI', ['read-reports']);
    const catalogOnly = await makeKey('Catalog only', ['read-catalog']);
    const read = (url: string, key: string, host = hostname) =>
      b.request({ method: 'GET', url, host, headers: { 'x-api-key': key } });
    const own = await read(`/admin/api/reports/${siteId}.json`, reports);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect((await read(`/admin/api/reports/${siteId}.csv`, reports)).statusCode).toBe(200);
    // Another site's report, every site's, a key without the scope, the key on another host.
    expect((await read('/admin/api/reports/kindred.json', reports)).statusCode).toBe(403);
    expect((await read('/admin/api/reports/all.json', reports)).statusCode).toBe(403);
    expect((await read(`/admin/api/reports/${siteId}.json`, catalogOnly)).statusCode).toBe(403);
    expect(
      (await read(`/admin/api/reports/${siteId}.json`, reports, HOSTS.partner)).statusCode,
    ).toBe(403);
    // The scope reads reports; it does not send.
    expect((await send(b, hostname, reports)).statusCode).toBe(403);
  });
});
