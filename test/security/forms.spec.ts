import type { DataSource } from 'typeorm';
import { encodeForm, servedFormFields } from '../support/compose-form.js';
import { countSuppressions, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import {
  agedFormFields,
  apiGreeting,
  composeFields,
  FORM,
  greetingsOf,
  postForm,
  startDefendedApp,
} from './support.js';

describe('attack: forged, replayed and automated form posts', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let ip = 0;
  /** Each test its own client address (through a trusted proxy), so limits never mix. */
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++ip}` });

  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback' });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const post = (fields: [string, string][], headers: Record<string, string> = {}) =>
    postForm(t, HOSTS.partner, card, fields, { ...client(), ...headers });

  it('serves the form with a token, never cached and without cookies', async () => {
    const a = await t.request({ method: 'GET', url: `/cards/${card}/send`, host: HOSTS.partner });
    const b = await t.request({ method: 'GET', url: `/cards/${card}/send`, host: HOSTS.partner });
    expect(a.headers['cache-control']).toMatch(/no-store/);
    expect(a.headers['x-cache']).toBeUndefined();
    expect(a.headers['set-cookie']).toBeUndefined();
    const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    expect(token(a.body)).toBeTruthy();
    expect(token(a.body)).not.toBe(token(b.body));
    expect(a.body).toMatch(/name="website"/);
  });

  it('a post without a token is refused and writes nothing', async () => {
    const sender = uniqueEmail('csrf');
    const res = await post(composeFields(sender, [['idempotencyKey', 'abcdefghijklmnop']]));
    expect(res.statusCode).toBe(403);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('a token from another site, or for another form, is refused', async () => {
    const sender = uniqueEmail('csrf');
    const otherSite = agedFormFields(t, 'ecardia');
    expect((await post(composeFields(sender, otherSite))).statusCode).toBe(403);
    const [token] = agedFormFields(t, 'kindred');
    const [, key] = agedFormFields(t, 'kindred');
    const mismatched = [token, key] as [string, string][];
    expect((await post(composeFields(sender, mismatched))).statusCode).toBe(403);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['another tenant', `http://${HOSTS.flagship}:8080`],
    ['a sandboxed frame', 'null'],
  ])('a post whose Origin is %s is refused', async (_n, origin) => {
    const sender = uniqueEmail('origin');
    const res = await post(composeFields(sender, agedFormFields(t, 'kindred')), { origin });
    expect(res.statusCode).toBe(403);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('a Referer from another site is refused when Origin is absent', async () => {
    const sender = uniqueEmail('referer');
    const res = await post(composeFields(sender, agedFormFields(t, 'kindred')), {
      referer: 'https://evil.example/page',
    });
    expect(res.statusCode).toBe(403);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('a same-site post with a served token sends, and the redirect stays on the site', async () => {
    const sender = uniqueEmail('ok');
    const res = await t.request({
      method: 'POST',
      url: `/cards/${card}/send?next=https://evil.example&redirect=//evil.example`,
      host: HOSTS.partner,
      headers: { ...FORM, ...client(), origin: `http://${HOSTS.partner}:8080` },
      payload: encodeForm(composeFields(sender, agedFormFields(t, 'kindred'))),
    });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/sent\/[0-9a-f-]{36}\?s=/);
    expect(await greetingsOf(db, sender)).toBe(1);
  });

  it('replaying a token replays the same greeting, never a second one', async () => {
    const sender = uniqueEmail('replay');
    const fields = composeFields(sender, agedFormFields(t, 'kindred'));
    const headers = client();
    const a = await post(fields, headers);
    const b = await post(fields, headers);
    expect(a.statusCode).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(await greetingsOf(db, sender)).toBe(1);
  });

  it('a filled honeypot is refused and writes nothing', async () => {
    const sender = uniqueEmail('honeypot');
    const res = await post(
      composeFields(sender, [...agedFormFields(t, 'kindred'), ['website', 'http://spam.example']]),
    );
    expect(res.statusCode).toBe(400);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('a form posted faster than a person can fill it is refused', async () => {
    const sender = uniqueEmail('fast');
    const served = await servedFormFields(t, HOSTS.partner, card);
    const res = await post(composeFields(sender, served));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That was quick');
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('the manage form needs its token; the one-click unsubscribe does not', async () => {
    const sender = uniqueEmail('manage');
    const year = new Date().getUTCFullYear() + 1;
    const sent = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      headers: client(),
      payload: { ...apiGreeting(card, sender), sendAt: `${year}-03-01T09:00` },
    });
    expect(sent.statusCode).toBe(201);
    const manageUrl = new URL(sent.json<{ manageUrl: string }>().manageUrl);
    const path = manageUrl.pathname + manageUrl.search;
    const forged = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: FORM,
      payload: 'action=cancel',
    });
    expect(forged.statusCode).toBe(403);
    const status = await db.query<{ status: string }[]>(
      'SELECT status FROM greetings WHERE sender_email = ?',
      [sender],
    );
    expect(status[0]?.status).toBe('scheduled');

    const page = await t.request({ method: 'GET', url: path, host: HOSTS.partner });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cancelled = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: FORM,
      payload: `action=cancel&_csrf=${encodeURIComponent(token)}`,
    });
    expect(cancelled.statusCode).toBe(303);
  });

  it('the unsubscribe confirm button needs its token; RFC 8058 one-click works', async () => {
    const greeting = apiGreeting(card);
    const sent = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      headers: client(),
      payload: greeting,
    });
    const { SignedLinks } = await import('../../src/greetings/signed-links.js');
    const links = new SignedLinks(t.config.pickupTokenSecret);
    const pickup = sent.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl;
    const recipientId = links.recipientIdOf(new URL(pickup ?? '').pathname.slice(3)) ?? '';
    const path = `/unsubscribe/${links.recipientToken('unsubscribe', recipientId)}`;
    const suppressed = () => countSuppressions(db, greeting.recipients[0]?.email ?? '');
    const before = await suppressed();

    const forged = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: { ...FORM, origin: 'https://evil.example' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(403);
    const noToken = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: FORM,
      payload: 'x=1',
    });
    expect(noToken.statusCode).toBe(403);
    expect(await suppressed()).toBe(before);

    const oneClick = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: FORM,
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(await suppressed()).toBe(before + 1);
  });
});
