import type { DataSource } from 'typeorm';
import { resolve } from 'node:path';
import { AssetManifest } from '../../src/assets/asset-manifest.js';
import { EmailComposer } from '../../src/delivery/email-composer.js';
import { ReturnPaths } from '../../src/delivery/return-paths.js';
import { EmailViews } from '../../src/delivery/email-views.js';
import type { DeliveryRecord } from '../../src/greetings/greetings.repository.js';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { SiteViews } from '../../src/rendering/site-views.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { canonicalMailbox } from '../../src/security/mailbox.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../../src/http/security-headers.js';
import { countRows, countSuppressions, openTestDb, uniqueEmail } from '../support/db.js';
import { hiddenField } from '../support/browser-forms.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { apiGreeting, FORM, startDefendedApp } from './support.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

interface Sent {
  id: string;
  recipients: { pickupUrl: string }[];
}

describe('attack: turning pickup opens and sender notices into a mailing tool', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let ip = 0;
  beforeAll(async () => {
    db = await openTestDb();
    t = await startDefendedApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_IP_SENDS_PER_HOUR: '1000',
      RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: '1000',
      RATE_LIMIT_SENDER_SENDS_PER_HOUR: '1000',
      RATE_LIMIT_SENDER_RECIPIENTS_PER_HOUR: '1000',
      RATE_LIMIT_MAILBOX_EMAILS_PER_HOUR: '3',
      API_KEYS: `notices-crm=${VOUCHING_API_KEY}`,
    });
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const from = () => ({ 'x-forwarded-for': `100.66.0.${++ip}` });
  const send = async (body: object, headers: Record<string, string> = {}) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: { ...from(), ...headers },
      payload: body,
    });
    return res;
  };
  /** A card from a sender whose address is vouched for (by the key), unless `typed` says not. */
  const sendOne = async (sender = uniqueEmail('ann'), typed = false) => {
    const res = await send(
      apiGreeting(card, sender),
      typed ? {} : { 'x-api-key': VOUCHING_API_KEY },
    );
    expect(res.statusCode).toBe(201);
    const sent = res.json<Sent>();
    const path = new URL(sent.recipients[0]?.pickupUrl ?? '').pathname;
    return { id: sent.id, path, recipientId: path.slice(3, 25) };
  };
  const markDelivered = (recipientId: string) =>
    db.query(
      "UPDATE greeting_recipients SET status = 'delivered', delivered_at = NOW() WHERE id = ?",
      [recipientId],
    );
  const notices = (recipientId: string) =>
    countRows(
      db,
      "SELECT COUNT(*) AS n FROM outbox WHERE topic = 'notify-sender-opened' AND payload LIKE ?",
      [`%${recipientId}%`],
    );
  const openedAt = async (recipientId: string) =>
    (
      await db.query<{ opened_at: Date | null }[]>(
        'SELECT opened_at FROM greeting_recipients WHERE id = ?',
        [recipientId],
      )
    )[0]?.opened_at ?? null;
  const view = (path: string) =>
    t.request({ method: 'GET', url: path, host: HOSTS.flagship, headers: from() });
  const open = (path: string, csrf: string | undefined, headers: Record<string, string> = {}) =>
    t.request({
      method: 'POST',
      url: `${path}/opened`,
      host: HOSTS.flagship,
      headers: { ...FORM, ...from(), ...headers },
      payload: new URLSearchParams(csrf === undefined ? {} : { _csrf: csrf }).toString(),
    });

  it('records no open and mails no notice when a link scanner fetches the pickup page', async () => {
    const g = await sendOne();
    await markDelivered(g.recipientId);
    for (let i = 0; i < 3; i++) {
      const page = await view(g.path);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('id="pickup-opened"');
    }
    expect(await openedAt(g.recipientId)).toBeNull();
    expect(await notices(g.recipientId)).toBe(0);
  });

  it('counts an open the page sends after delivery, once, and queues one notice', async () => {
    const g = await sendOne();
    await markDelivered(g.recipientId);
    const csrf = hiddenField((await view(g.path)).body, '_csrf');
    const first = await open(g.path, csrf, { accept: 'application/json' });
    expect(first.statusCode).toBe(204);
    expect(await openedAt(g.recipientId)).toBeInstanceOf(Date);
    // Without JavaScript the button posts the same form and lands back on the card.
    const again = await open(g.path, csrf);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(g.path);
    expect(await notices(g.recipientId)).toBe(1);
  });

  it('mails no notice to a sender address someone merely typed', async () => {
    // Anyone can type a stranger's address as theirs; only a verified one hears of the card.
    const g = await sendOne(uniqueEmail('typed'), true);
    await markDelivered(g.recipientId);
    const csrf = hiddenField((await view(g.path)).body, '_csrf');
    expect((await open(g.path, csrf, { accept: 'application/json' })).statusCode).toBe(204);
    expect(await openedAt(g.recipientId)).toBeInstanceOf(Date);
    expect(await notices(g.recipientId)).toBe(0);
    const verified = await db.query<{ sender_verified: number }[]>(
      'SELECT sender_verified FROM greetings WHERE id = ?',
      [g.id],
    );
    expect(verified).toEqual([{ sender_verified: 0 }]);
  });

  it('ignores an open before the email was delivered (the sender previewing the link)', async () => {
    const g = await sendOne();
    const csrf = hiddenField((await view(g.path)).body, '_csrf');
    expect((await open(g.path, csrf, { accept: 'application/json' })).statusCode).toBe(202);
    expect(await openedAt(g.recipientId)).toBeNull();
    expect(await notices(g.recipientId)).toBe(0);
    // Once delivered, the recipient's own open still counts.
    await markDelivered(g.recipientId);
    await open(g.path, csrf, { accept: 'application/json' });
    expect(await notices(g.recipientId)).toBe(1);
  });

  it('refuses an open without the page token or from another site, recording nothing', async () => {
    const g = await sendOne();
    await markDelivered(g.recipientId);
    const csrf = hiddenField((await view(g.path)).body, '_csrf');
    expect((await open(g.path, undefined)).statusCode).toBe(403);
    expect((await open(g.path, 'forged')).statusCode).toBe(403);
    const other = await sendOne();
    expect((await open(other.path, csrf)).statusCode).toBe(403);
    expect((await open(g.path, csrf, { origin: 'https://attacker.example' })).statusCode).toBe(403);
    expect(await openedAt(g.recipientId)).toBeNull();
    expect(await notices(g.recipientId)).toBe(0);
  });

  it('counts one mailbox however its address is spelled, up to the hourly cap', () => {
    const one = canonicalMailbox('bob.smith@gmail.com');
    for (const spelling of [
      'Bob.Smith@Gmail.com',
      'bobsmith+cards@gmail.com',
      'b.o.b.s.m.i.t.h@googlemail.com',
      ' BOBSMITH+x+y@GMAIL.COM ',
    ]) {
      expect(canonicalMailbox(spelling)).toBe(one);
    }
    expect(canonicalMailbox('bob.smith+tag@example.com')).toBe('bob.smith@example.com');
    expect(canonicalMailbox('bob.smith@example.com')).not.toBe(
      canonicalMailbox('bobsmith@example.com'),
    );
  });

  it('refuses more emails to one mailbox an hour than the cap, whatever the spelling', async () => {
    const base = `victim${Date.now()}`;
    const spellings = [
      `${base}@gmail.com`,
      `${base}+a@gmail.com`,
      `${base.slice(0, 3)}.${base.slice(3)}@googlemail.com`,
      `${base.toUpperCase()}+b@GMAIL.com`,
    ];
    const statuses: number[] = [];
    for (const address of spellings) {
      const body = apiGreeting(card);
      body.recipients = [{ name: 'Vic', email: address }];
      statuses.push((await send(body)).statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('counts a sender whose address is spelled differently as one sender', async () => {
    const base = `sender${Date.now()}`;
    const limited = await startDefendedApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_IP_SENDS_PER_HOUR: '1000',
      RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: '1000',
      RATE_LIMIT_SENDER_SENDS_PER_HOUR: '2',
    });
    try {
      const statuses: number[] = [];
      for (const sender of [
        `${base}@gmail.com`,
        `${base}+1@gmail.com`,
        `${base.toUpperCase()}@googlemail.com`,
      ]) {
        const res = await limited.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          headers: from(),
          payload: apiGreeting(card, sender),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });

  it('lets an address that gets sender notices stop all mail in one click', async () => {
    const sender = uniqueEmail('not-a-sender');
    const g = await sendOne(sender);
    const registry = SiteRegistry.load(t.config);
    const site = registry.get('ecardia');
    if (!site) throw new Error('no flagship');
    const assets = new AssetManifest();
    assets.addFolder('base', resolve(t.config.paths.public));
    const views = new SiteViews(registry.sites, assets, t.config.paths.views, false);
    const composer = new EmailComposer(
      new EmailViews(views, registry.sites, t.config.paths.views),
      new SignedLinks(t.config.pickupTokenSecret),
      new ReturnPaths(t.config.pickupTokenSecret, t.config.bounces.domain),
    );
    const notice = composer.senderOpened(site, {
      recipientId: g.recipientId,
      greetingId: g.id,
      senderEmail: sender,
      senderName: 'Ann',
      recipientName: 'Bob',
      cardTitle: 'Balloons',
    } as DeliveryRecord);
    expect(notice.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(notice.headers?.['List-Unsubscribe'] ?? '')?.[1] ?? '';
    const path = new URL(link).pathname;
    expect(path.startsWith(`/unsubscribe/sender/${g.id}/`)).toBe(true);
    const page = await t.request({
      method: 'GET',
      url: path,
      host: HOSTS.flagship,
      headers: from(),
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(sender);
    // Under `no-referrer` a browser posts the page's own button with `Origin: null`.
    expect(page.headers['referrer-policy']).toBe(PRIVATE_PAGE_REFERRER_POLICY);
    const forged = await t.request({
      method: 'POST',
      url: `${path.slice(0, -4)}AAAA`,
      host: HOSTS.flagship,
      headers: { ...FORM, ...from() },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(404);
    const suppressed = () => countSuppressions(db, sender);
    expect(await suppressed()).toBe(0);
    const oneClick = await t.request({
      method: 'POST',
      url: path,
      host: HOSTS.flagship,
      headers: { ...FORM, ...from() },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(await suppressed()).toBe(1);
  });
});
