import type { DataSource } from 'typeorm';
import { openPickup } from '../support/browser-forms.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

interface Sent {
  id: string;
  status: string;
  sendAt: string | null;
  recipients: { email: string; pickupUrl: string }[];
}

describe('sending a greeting through the API and opening it', () => {
  let t: TestApp;
  let db: DataSource;
  let flagshipCard: string;
  let partnerCard: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = await openTestDb();
    flagshipCard = await firstCardSlug(t, HOSTS.flagship);
    partnerCard = await firstCardSlug(t, HOSTS.partner);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  function body(sender: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      cardSlug: flagshipCard,
      sender: { name: 'Ann Example', email: sender },
      recipients: [
        { name: 'Bob', email: uniqueEmail('bob') },
        { name: 'Cleo', email: uniqueEmail('cleo') },
      ],
      message: 'Happy birthday!',
      ...overrides,
    };
  }

  async function send(host: string, payload: unknown): Promise<{ status: number; json: Sent }> {
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host,
      payload: payload as object,
    });
    return { status: res.statusCode, json: res.json<Sent>() };
  }

  const writtenBy = (sender: string): Promise<number> =>
    countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]);

  it('accepts a greeting and writes greeting, recipients and outbox rows together', async () => {
    const sender = uniqueEmail('ann');
    const { status, json } = await send(HOSTS.flagship, body(sender));
    expect(status).toBe(201);
    expect(json.status).toBe('accepted');
    expect(json.recipients).toHaveLength(2);
    for (const r of json.recipients) {
      expect(r.pickupUrl).toMatch(/^http:\/\/www\.ecardia\.example:8080\/p\/[A-Za-z0-9_-]{44}$/);
    }
    expect(await writtenBy(sender)).toBe(1);
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greeting_recipients WHERE greeting_id = ?', [
        json.id,
      ]),
    ).toBe(2);
    expect(
      await countRows(
        db,
        `SELECT COUNT(*) AS n FROM outbox o JOIN greeting_recipients r ON o.message_key = CONCAT('deliver:', r.id)
         WHERE r.greeting_id = ? AND o.dispatched_at IS NULL`,
        [json.id],
      ),
    ).toBe(2);
  });

  it('builds pickup links from the sending site, never from request headers', async () => {
    const { json } = await send(HOSTS.partner, {
      ...body(uniqueEmail('ann')),
      cardSlug: partnerCard,
    });
    expect(
      json.recipients[0]?.pickupUrl.startsWith('http://cards.kindredpaper.example:8080/p/'),
    ).toBe(true);
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: 'kindred.localhost',
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      payload: { ...body(uniqueEmail('ann')), cardSlug: partnerCard },
    });
    expect(
      res
        .json<Sent>()
        .recipients[0]?.pickupUrl.startsWith('http://cards.kindredpaper.example:8080/p/'),
    ).toBe(true);
  });

  it('opens the pickup page, escapes the message and records only the first open', async () => {
    const message = '<script>alert("x")</script>\nSee you {{ brandName }} soon & <b>bye</b>';
    const { json } = await send(HOSTS.flagship, body(uniqueEmail('ann'), { message }));
    const path = new URL(json.recipients[0]?.pickupUrl ?? '').pathname;
    const res = await t.request({ method: 'GET', url: path, host: HOSTS.flagship });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.body).toContain('Ann Example');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.body).toContain('{{ brandName }}');
    expect(res.body).not.toContain('<script>');
    expect(res.body).not.toContain('<b>bye</b>');

    // Showing the page records nothing; the open is the page's own call after delivery.
    const [shown] = await db.query<{ opened_at: Date | null }[]>(
      'SELECT opened_at FROM greeting_recipients WHERE greeting_id = ? AND position = 0',
      [json.id],
    );
    expect(shown?.opened_at).toBeNull();
    await db.query("UPDATE greeting_recipients SET status = 'delivered' WHERE greeting_id = ?", [
      json.id,
    ]);
    expect(await openPickup(t, HOSTS.flagship, path)).toBe(204);
    const [first] = await db.query<{ opened_at: Date | null }[]>(
      'SELECT opened_at FROM greeting_recipients WHERE greeting_id = ? AND position = 0',
      [json.id],
    );
    expect(first?.opened_at).toBeInstanceOf(Date);
    expect(await openPickup(t, HOSTS.flagship, path)).toBe(204);
    const [again] = await db.query<{ opened_at: Date | null }[]>(
      'SELECT opened_at FROM greeting_recipients WHERE greeting_id = ? AND position = 0',
      [json.id],
    );
    expect(again?.opened_at?.getTime()).toBe(first?.opened_at?.getTime());
    const [other] = await db.query<{ opened_at: Date | null }[]>(
      'SELECT opened_at FROM greeting_recipients WHERE greeting_id = ? AND position = 1',
      [json.id],
    );
    expect(other?.opened_at).toBeNull();
  });

  it('answers unknown, forged and other-site pickup tokens with a branded 404', async () => {
    const { json } = await send(HOSTS.flagship, body(uniqueEmail('ann')));
    const path = new URL(json.recipients[0]?.pickupUrl ?? '').pathname;
    const token = path.slice(3);
    const forged = `${token.slice(0, 40)}${token.slice(40) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const url of ['/p/unknown-token', `/p/${forged}`, '/p/' + 'A'.repeat(44)]) {
      const res = await t.request({ method: 'GET', url, host: HOSTS.flagship });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Ecardia');
    }
    const elsewhere = await t.request({ method: 'GET', url: path, host: HOSTS.uk });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('schedules a greeting at a local time in the chosen zone', async () => {
    const year = new Date().getUTCFullYear() + (new Date().getUTCMonth() >= 10 ? 1 : 0);
    const { status, json } = await send(
      HOSTS.flagship,
      body(uniqueEmail('ann'), { sendAt: `${year}-07-04T09:00`, timeZone: 'America/New_York' }),
    );
    expect(status).toBe(201);
    expect(json.status).toBe('scheduled');
    expect(json.sendAt).toBe(`${year}-07-04T13:00:00.000Z`);
  });

  it('makes a retried request with the same idempotency key harmless', async () => {
    const sender = uniqueEmail('ann');
    const payload = body(sender, {
      idempotencyKey: `key-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });
    const first = await send(HOSTS.flagship, payload);
    const [second, third] = await Promise.all([
      send(HOSTS.flagship, payload),
      send(HOSTS.flagship, payload),
    ]);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(third.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(await writtenBy(sender)).toBe(1);
    const changed = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: { ...payload, message: 'something else' },
    });
    expect(changed.statusCode).toBe(409);
    expect(await writtenBy(sender)).toBe(1);
  });

  const bad: [string, (sender: string) => unknown, string][] = [
    [
      'an invalid sender email',
      (s) => body(s, { sender: { name: 'Ann', email: 'not-an-email' } }),
      'sender.email',
    ],
    ['no recipients', (s) => body(s, { recipients: [] }), 'recipients'],
    [
      'too many recipients',
      (s) =>
        body(s, {
          recipients: Array.from({ length: 11 }, (_, i) => ({
            name: `R${i}`,
            email: `r${i}.${s}`,
          })),
        }),
      'recipients',
    ],
    ['an over-long message', (s) => body(s, { message: 'x'.repeat(2001) }), 'message'],
    ['an unknown card', (s) => body(s, { cardSlug: 'no-such-card' }), 'cardSlug'],
    [
      'CRLF in a name',
      (s) =>
        body(s, {
          recipients: [{ name: 'Bob\r\nBcc: victim@example.com', email: uniqueEmail('bob') }],
        }),
      'recipients.0.name',
    ],
    ['a date in the past', (s) => body(s, { sendAt: '2020-01-01T09:00' }), 'sendAt'],
    ['an unknown field', (s) => body(s, { priority: 'high' }), 'body'],
  ];

  it.each(bad)(
    'refuses %s with 400, field messages and nothing written',
    async (_label, make, field) => {
      const sender = uniqueEmail('ann');
      const res = await t.request({
        method: 'POST',
        url: '/api/greetings',
        host: HOSTS.flagship,
        payload: make(sender) as object,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
        field,
      );
      expect(await writtenBy(sender)).toBe(0);
    },
  );

  it("refuses a card outside the partner's catalog", async () => {
    const slug = await firstCardSlug(t, HOSTS.flagship, 'christmas');
    const sender = uniqueEmail('ann');
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: body(sender, { cardSlug: slug }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, errors: [{ field: 'cardSlug' }] });
    expect(await writtenBy(sender)).toBe(0);
  });

  it('refuses malformed JSON with a problem body', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: { 'content-type': 'application/json' },
      payload: '{"cardSlug": "x", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ status: number; detail: string }>()).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/not valid JSON/),
    });
  });

  it('refuses a body over the size limit', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ message: 'x'.repeat(200_000) }),
    });
    expect(res.statusCode).toBe(413);
  });
});
