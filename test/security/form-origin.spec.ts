import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { cspViolations } from '../../src/platform/observability/metrics.js';
import { startObservedApp, type LogLine, type ObservedApp } from '../ops/support/observed-app.js';
import { type AdminBrowser, signInAdmin } from '../support/browser-forms.js';
import { countSuppressions, openTestDb } from '../support/db.js';
import type { TestResponse } from '../support/http-client.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { apiGreeting, FORM } from './support.js';

const EVIL = 'https://evil.example';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * The private forms (manage, unsubscribe, the admin flags page) as browsers really post them.
 * Under a referrer policy that withholds the origin a browser sends `Origin: null` with a
 * page's own form; the form's token decides then. A browser saying another site sent the form
 * (Fetch Metadata, or an Origin of another host) is refused whatever token it carries, with a
 * page saying why and a log line naming the reason, not the person or the link.
 */
describe('private forms: what a browser says about where a post came from', () => {
  let t: ObservedApp;
  let db: DataSource;
  let card: string;
  let ip = 0;
  /** Each request its own client address (through a trusted proxy), so no limit is shared. */
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++ip % 250}` });

  beforeAll(async () => {
    t = await startObservedApp({
      TRUST_PROXY: 'loopback',
      FLAGS_NAMESPACE: `t-origin-${randomBytes(4).toString('hex')}`,
    });
    db = await openTestDb();
    card = await firstCardSlug(t as unknown as TestApp, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const refusals = (): Record<string, unknown>[] =>
    t
      .lines()
      .map((line) => line.data as LogLine | undefined)
      .filter((data): data is LogLine => data?.event === 'form-refused');

  /** A form posted to a partner's private page, as a browser sends it. */
  const post = (path: string, body: string, headers: Record<string, string>) =>
    t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: { ...FORM, ...client(), ...headers },
      payload: body,
    });

  function expectRefusalPage(res: TestResponse, why: RegExp): void {
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Nothing was changed');
    expect(res.body).toMatch(why);
  }

  describe('the manage page', () => {
    /** A scheduled card's manage path and its page's form token. */
    async function scheduledCard(): Promise<{ id: string; path: string; token: string }> {
      const year = new Date().getUTCFullYear() + 1;
      const sent = await t.request({
        method: 'POST',
        url: '/api/greetings',
        host: HOSTS.partner,
        headers: client(),
        payload: { ...apiGreeting(card), sendAt: `${year}-03-01T09:00` },
      });
      expect(sent.statusCode).toBe(201);
      const url = new URL(sent.json<{ manageUrl: string }>().manageUrl);
      const path = url.pathname + url.search;
      const page = await t.request({ method: 'GET', url: path, host: HOSTS.partner });
      expect(page.headers['referrer-policy']).toBe('same-origin');
      expect(page.body).toContain('<meta name="referrer" content="same-origin">');
      return { id: url.pathname.split('/')[2] ?? '', path, token: csrfOf(page.body) };
    }
    const statusOf = async (id: string) =>
      (await db.query<{ status: string }[]>('SELECT status FROM greetings WHERE id = ?', [id]))[0]
        ?.status;

    it('saves with Origin: null and a valid token, as Chromium sends it', async () => {
      const { id, path, token } = await scheduledCard();
      const body = `_csrf=${encodeURIComponent(token)}&message=Changed&sendDate=&timeZone=`;
      const res = await post(path, body, { origin: 'null' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/&done=saved$/);
      const [row] = await db.query<{ message: string }[]>(
        'SELECT message FROM greetings WHERE id = ?',
        [id],
      );
      expect(row?.message).toBe('Changed');
    });

    it('cancels with Fetch Metadata same-origin and Origin: null', async () => {
      const { id, path, token } = await scheduledCard();
      const body = `_csrf=${encodeURIComponent(token)}&action=cancel`;
      const res = await post(path, body, { origin: 'null', 'sec-fetch-site': 'same-origin' });
      expect(res.statusCode).toBe(303);
      expect(await statusOf(id)).toBe('cancelled');
    });

    it.each([
      [
        'Sec-Fetch-Site: cross-site',
        { 'sec-fetch-site': 'cross-site', origin: 'null' },
        'cross-site',
      ],
      ['an Origin of another site', { origin: EVIL }, 'foreign-origin'],
      [
        'an Origin of another tenant',
        { origin: `http://${HOSTS.flagship}:8080` },
        'foreign-origin',
      ],
    ])('refuses %s even with a valid token, and says why', async (_label, headers, reason) => {
      const { id, path, token } = await scheduledCard();
      const res = await post(path, `_csrf=${encodeURIComponent(token)}&action=cancel`, headers);
      expectRefusalPage(res, /sent from another website/);
      expect(await statusOf(id)).toBe('scheduled');
      const line = refusals().at(-1);
      expect(line).toMatchObject({ reason, form: 'manage', route: '/manage/:id', site: 'kindred' });
      expect(JSON.stringify(line)).not.toContain(id);
    });

    it('refuses Origin: null without a token, or with another greeting’s', async () => {
      const mine = await scheduledCard();
      const other = await scheduledCard();
      const none = await post(mine.path, 'action=cancel', { origin: 'null' });
      expectRefusalPage(none, /could not be verified/);
      expect(refusals().at(-1)).toMatchObject({ reason: 'token-missing', form: 'manage' });
      const body = `_csrf=${encodeURIComponent(other.token)}&action=cancel`;
      expectRefusalPage(await post(mine.path, body, { origin: 'null' }), /could not be verified/);
      expect(refusals().at(-1)).toMatchObject({ reason: 'token-invalid' });
      expect(await statusOf(mine.id)).toBe('scheduled');
    });
  });

  describe('the unsubscribe page', () => {
    async function unsubscribePage(): Promise<{ path: string; token: string; email: string }> {
      const greeting = apiGreeting(card);
      const sent = await t.request({
        method: 'POST',
        url: '/api/greetings',
        host: HOSTS.partner,
        headers: client(),
        payload: greeting,
      });
      const links = new SignedLinks(t.config.pickupTokenSecret);
      const pickup = sent.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl;
      const recipientId = links.recipientIdOf(new URL(pickup ?? '').pathname.slice(3)) ?? '';
      const path = `/unsubscribe/${links.recipientToken('unsubscribe', recipientId)}`;
      const page = await t.request({ method: 'GET', url: path, host: HOSTS.partner });
      expect(page.headers['referrer-policy']).toBe('same-origin');
      return { path, token: csrfOf(page.body), email: greeting.recipients[0]?.email ?? '' };
    }
    const suppressed = (email: string) => countSuppressions(db, email);

    it('takes the button with Origin: null and a valid token', async () => {
      const { path, token, email } = await unsubscribePage();
      const before = await suppressed(email);
      const res = await post(path, `_csrf=${encodeURIComponent(token)}`, { origin: 'null' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('You will not get ecards from us again');
      expect(await suppressed(email)).toBe(before + 1);
    });

    it('refuses a cross-site post or one without a token, and logs no link', async () => {
      const { path, token, email } = await unsubscribePage();
      const before = await suppressed(email);
      const crossSite = await post(path, `_csrf=${encodeURIComponent(token)}`, {
        'sec-fetch-site': 'cross-site',
      });
      expectRefusalPage(crossSite, /sent from another website/);
      expect(refusals().at(-1)).toMatchObject({
        reason: 'cross-site',
        form: 'unsubscribe',
        route: '/unsubscribe/:token',
      });
      expectRefusalPage(await post(path, 'x=1', { origin: 'null' }), /could not be verified/);
      expect(await suppressed(email)).toBe(before);
      expect(t.output.join('\n')).not.toContain(path.slice('/unsubscribe/'.length));
    });
  });

  describe('the admin flags page', () => {
    // An operator's browser, signed in: its session cookie and the page's anti-forgery token.
    let admin: AdminBrowser;
    beforeAll(async () => {
      admin = await signInAdmin(t, HOSTS.flagship);
    });
    const SESSION = () => ({ cookie: admin.cookie });
    const form = (csrf: string) =>
      new URLSearchParams({
        _csrf: csrf,
        site: 'kindred',
        scope: 'site',
        key: 'relatedCards',
        action: 'clear',
        reason: 'origin test',
        actor: 'ops-test',
      }).toString();
    const change = (body: string, headers: Record<string, string>) =>
      t.request({
        method: 'POST',
        url: '/admin/flags',
        host: HOSTS.flagship,
        headers: { ...FORM, ...SESSION(), ...client(), ...headers },
        payload: body,
      });

    it('serves the page with a same-origin referrer policy', async () => {
      const page = await t.request({
        method: 'GET',
        url: '/admin/flags',
        host: HOSTS.flagship,
        headers: { ...SESSION(), ...client() },
      });
      expect(page.statusCode).toBe(200);
      expect(page.headers['referrer-policy']).toBe('same-origin');
      expect(page.body).toContain('<meta name="referrer" content="same-origin">');
    });

    it('takes a change with Origin: null and the page’s token', async () => {
      const res = await change(form(admin.csrf), { origin: 'null' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('relatedCards override removed (kindred)');
    });

    it.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, /another website/],
      ['an Origin of another site', { origin: EVIL }, /another website/],
      ['Origin: null without the token', { origin: 'null' }, /token is missing or wrong/],
    ])('refuses %s with a page saying why', async (_label, headers, why) => {
      const body = 'origin' in headers && headers.origin === 'null' ? form('') : form(admin.csrf);
      const res = await change(body, headers);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toMatch(why);
      expect(refusals().at(-1)).toMatchObject({ form: 'admin-flags', route: '/admin/flags' });
    });

    it('refuses Origin: null on admin routes that have no form token of their own', async () => {
      const res = await t.request({
        method: 'POST',
        url: '/admin/anything-added-later',
        host: HOSTS.flagship,
        headers: { ...SESSION(), ...client(), origin: 'null' },
        payload: { tags: ['home'] },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('the CSP report endpoint', () => {
    const violations = () =>
      t.lines().filter((line) => line.event === 'csp-violation') as Record<string, unknown>[];
    const report = (type: string, body: unknown, headers: Record<string, string> = {}) =>
      t.request({
        method: 'POST',
        url: '/csp-report',
        host: HOSTS.flagship,
        headers: { 'content-type': type, ...client(), ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const page = `http://${HOSTS.flagship}:8080`;

    it('is named by every page’s policy', async () => {
      const home = await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
      expect(home.headers['content-security-policy']).toContain('report-uri /csp-report');
    });

    it('logs a report-uri report with the private page reduced to its route, and answers 204', async () => {
      const before = violations().length;
      const counted = async () =>
        (await cspViolations.get()).values
          .filter((v) => v.labels.directive === 'style-src-elem' && v.labels.site === 'ecardia')
          .reduce((sum, v) => sum + v.value, 0);
      const countedBefore = await counted();
      const res = await report('application/csp-report', {
        'csp-report': {
          'document-uri': `${page}/p/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefgh?utm=x`,
          referrer: `${page}/manage/00000000-0000-0000-0000-000000000000?s=secret`,
          'violated-directive': 'style-src-elem',
          'effective-directive': 'style-src-elem',
          'original-policy': "default-src 'self'",
          'blocked-uri': 'inline',
          'line-number': 12,
          'source-file': `${page}/sent/00000000-0000-0000-0000-000000000000?s=secret`,
          disposition: 'enforce',
        },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(violations().slice(before)).toEqual([
        expect.objectContaining({
          site: 'ecardia',
          document: '/p/:token',
          directive: 'style-src-elem',
          blocked: 'inline',
          source: '/sent/:id',
          line: 12,
          disposition: 'enforce',
        }),
      ]);
      expect(t.output.slice(-3).join('')).not.toMatch(/secret|AbCdEf|utm/);
      expect(await counted()).toBe(countedBefore + 1);
    });

    it('logs each csp-violation of a Reporting API batch, other hosts as their origin', async () => {
      const before = violations().length;
      const res = await report('application/reports+json', [
        {
          type: 'csp-violation',
          url: `${page}/cards/some-card`,
          body: {
            documentURL: `${page}/cards/some-card?ref=mail`,
            blockedURL: 'https://tracker.example/pixel.gif?id=123',
            effectiveDirective: 'img-src',
            disposition: 'enforce',
          },
        },
        { type: 'deprecation', url: `${page}/`, body: { id: 'x' } },
        {
          type: 'csp-violation',
          url: `${page}/manage/x`,
          body: {
            documentURL: `${page}/unsubscribe/SomeSecretToken?x=1`,
            blockedURL: 'eval',
            effectiveDirective: 'script-src',
          },
        },
      ]);
      expect(res.statusCode).toBe(204);
      expect(violations().slice(before)).toEqual([
        expect.objectContaining({
          document: '/cards/:slug',
          blocked: 'https://tracker.example',
          directive: 'img-src',
        }),
        expect.objectContaining({
          document: '/unsubscribe/:token',
          blocked: 'eval',
          directive: 'script-src',
        }),
      ]);
    });

    it('answers 204 to junk without a line, and refuses an oversized body', async () => {
      const before = violations().length;
      expect((await report('application/csp-report', 'not json')).statusCode).toBe(204);
      expect((await report('application/reports+json', { a: 1 })).statusCode).toBe(204);
      expect(violations().length).toBe(before);
      const big = JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(20_000) } });
      expect((await report('application/csp-report', big)).statusCode).toBe(413);
    });
  });
});
