import type { DataSource } from 'typeorm';
import { openPickup } from '../support/browser-forms.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN, flagNamespace, SITES } from './support.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the sending flags: kill switch, scheduled sending, open notifications', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    t = await startTestApp({
      FLAGS_NAMESPACE: flagNamespace('kill'),
      API_KEYS: `kill-crm=${VOUCHING_API_KEY}`,
    });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const flip = (key: string, value: boolean | null) =>
    t.request({
      method: 'PUT',
      // Admin lives on the flagship's host only; the partner site is named in the body.
      url: `/admin/api/flags/${key}`,
      host: HOSTS.flagship,
      headers: ADMIN,
      payload: { value, site: SITES.partner, reason: 'test' },
    });
  const written = async (sender: string) =>
    (await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender])) +
    (await countRows(
      db,
      'SELECT COUNT(*) AS n FROM greeting_recipients r JOIN greetings g ON g.id = r.greeting_id WHERE g.sender_email = ?',
      [sender],
    ));
  const apiSend = (sender: string, extra: object = {}, headers: Record<string, string> = {}) =>
    t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      headers,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: sender },
        recipients: [{ name: 'Bob', email: uniqueEmail('bob') }],
        message: 'Hello',
        ...extra,
      },
    });
  const formSend = (sender: string) =>
    t.request({
      method: 'POST',
      url: `/cards/${card}/send`,
      host: HOSTS.partner,
      headers: FORM,
      payload: new URLSearchParams({
        senderName: 'Ann',
        senderEmail: sender,
        recipientName: 'Bob',
        recipientEmail: uniqueEmail('bob'),
        message: 'Hello',
        sendDate: '',
        sendTime: '',
        timeZone: 'America/Chicago',
        idempotencyKey: `form-${Math.random().toString(36).slice(2)}${Date.now()}`,
        action: 'send',
      }).toString(),
    });

  it('serves a friendly page and a 503 problem instead of sending, and writes nothing', async () => {
    expect((await flip('sending', false)).statusCode).toBe(200);
    try {
      const form = await t.request({
        method: 'GET',
        url: `/cards/${card}/send`,
        host: HOSTS.partner,
      });
      expect(form.statusCode).toBe(503);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.headers['retry-after']).toBeDefined();
      expect(form.body).toContain('Sending is paused for a moment');
      expect(form.body).not.toContain('name="recipientEmail"');

      const sender = uniqueEmail('paused');
      const posted = await formSend(sender);
      expect(posted.statusCode).toBe(503);
      expect(posted.body).toContain('Sending is paused for a moment');
      const api = await apiSend(sender);
      expect(api.statusCode).toBe(503);
      expect(String(api.headers['content-type'])).toContain('application/problem+json');
      expect(api.json()).toMatchObject({ status: 503, title: 'Sending is paused' });
      expect(await written(sender)).toBe(0);

      // Browsing the paused site still works.
      expect(
        (await t.request({ method: 'GET', url: `/cards/${card}`, host: HOSTS.partner })).statusCode,
      ).toBe(200);
    } finally {
      await flip('sending', null);
    }
    const sender = uniqueEmail('resumed');
    expect((await apiSend(sender)).statusCode).toBe(201);
    expect(await written(sender)).toBe(2);
  });

  it('hides the date and refuses scheduled sends while scheduledSending is off', async () => {
    const sendAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const before = await t.request({
      method: 'GET',
      url: `/cards/${card}/send`,
      host: HOSTS.partner,
    });
    expect(before.body).toContain('name="sendDate"');
    await flip('scheduledSending', false);
    try {
      const form = await t.request({
        method: 'GET',
        url: `/cards/${card}/send`,
        host: HOSTS.partner,
      });
      expect(form.statusCode).toBe(200);
      expect(form.body).not.toContain('name="sendDate"');
      const sender = uniqueEmail('later');
      const res = await apiSend(sender, { sendAt });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ field: 'sendAt' }] });
      expect(await written(sender)).toBe(0);
      const now = uniqueEmail('now');
      expect((await apiSend(now)).statusCode).toBe(201);
    } finally {
      await flip('scheduledSending', null);
    }
  });

  it('queues no "your card was opened" email while senderOpenNotifications is off', async () => {
    const openFirst = async (): Promise<number> => {
      // Notices go to addresses someone vouches for: here a partner system's key.
      const res = await apiSend(uniqueEmail('notify'), {}, { 'x-api-key': VOUCHING_API_KEY });
      expect(res.statusCode).toBe(201);
      const url = new URL(
        res.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '',
      );
      const token = url.pathname.split('/').pop() ?? '';
      await db.query("UPDATE greeting_recipients SET status = 'delivered' WHERE id = ?", [
        token.slice(0, 22),
      ]);
      expect(await openPickup(t, HOSTS.partner, url.pathname)).toBe(204);
      return countRows(db, 'SELECT COUNT(*) AS n FROM outbox WHERE message_key = ?', [
        `opened:${token.slice(0, 22)}`,
      ]);
    };
    await flip('senderOpenNotifications', false);
    try {
      expect(await openFirst()).toBe(0);
    } finally {
      await flip('senderOpenNotifications', null);
    }
    expect(await openFirst()).toBe(1);
  });
});
