import type { DataSource } from 'typeorm';
import { GreetingSpool } from '../../src/greetings/greeting-spool.js';
import { servedFormFields, encodeForm } from '../support/compose-form.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

interface Sent {
  id: string;
  status: string;
  recipients: { email: string; pickupUrl: string }[];
}

/**
 * A primary that is not there is a closed port: connections are refused, exactly as when the
 * server process has died. Reads still go to the real replica; the spool is the real Redis.
 */
describe('sending while the primary database is unreachable', () => {
  let down: TestApp;
  let back: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    const deadPort = await freePort();
    [down, back] = await Promise.all([
      startTestApp({ DATABASE_URL: `mysql://ecard@127.0.0.1:${deadPort}/ecard_gone` }),
      startTestApp(),
    ]);
    db = await openTestDb();
    card = await firstCardSlug(back, HOSTS.flagship);
  });
  afterAll(async () => {
    await Promise.all([down.close(), back.close()]);
    await db.destroy();
  });

  const payload = (sender: string, extra: Record<string, unknown> = {}) => ({
    cardSlug: card,
    sender: { name: 'Ann', email: sender },
    recipients: [{ name: 'Bob', email: uniqueEmail('bob') }],
    message: 'Sent while the database was away',
    ...extra,
  });
  const written = (sender: string) =>
    countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]);
  const drainAll = async () => {
    const spool = back.app.get(GreetingSpool);
    while ((await spool.drain()) > 0);
  };

  it('keeps serving pages', async () => {
    for (const url of ['/', `/cards/${card}`, '/occasions/birthday']) {
      const res = await down.request({ method: 'GET', url, host: HOSTS.flagship });
      expect(res.statusCode).toBe(200);
    }
  });

  it('accepts a send into the spool and writes it exactly once when the primary is back', async () => {
    const sender = uniqueEmail('ann');
    const res = await down.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: payload(sender),
    });
    expect(res.statusCode).toBe(201);
    const sent = res.json<Sent>();
    expect(sent.recipients[0]?.pickupUrl).toMatch(/\/p\/[A-Za-z0-9_-]{44}$/);
    expect(await written(sender)).toBe(0);

    await drainAll();
    await drainAll();
    expect(await written(sender)).toBe(1);
    const [row] = await db.query<{ id: string }[]>(
      'SELECT id FROM greetings WHERE sender_email = ?',
      [sender],
    );
    expect(row?.id).toBe(sent.id);
    const pickup = new URL(sent.recipients[0]?.pickupUrl ?? '').pathname;
    const opened = await back.request({ method: 'GET', url: pickup, host: HOSTS.flagship });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Sent while the database was away');
  });

  it('makes a retried send harmless before and after the primary returns', async () => {
    const sender = uniqueEmail('ann');
    const body = payload(sender, { idempotencyKey: `spool-${Date.now().toString(36)}-key` });
    const first = await down.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: body,
    });
    const again = await down.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: body,
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const onPrimary = await back.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: body,
    });
    expect(onPrimary.statusCode).toBe(200);
    expect(onPrimary.json<Sent>().id).toBe(first.json<Sent>().id);
    await drainAll();
    const afterDrain = await back.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: body,
    });
    expect(afterDrain.json<Sent>().id).toBe(first.json<Sent>().id);
    expect(await written(sender)).toBe(1);
  });

  it('shows a pickup from the replica, and answers one it cannot read with a friendly 503', async () => {
    const sent = await back.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: payload(uniqueEmail('ann')),
    });
    const pickup = new URL(sent.json<Sent>().recipients[0]?.pickupUrl ?? '').pathname;
    // Replication is asynchronous: wait until the replica has the row the primary took.
    let res = await down.request({ method: 'GET', url: pickup, host: HOSTS.flagship });
    for (let i = 0; i < 50 && res.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await down.request({ method: 'GET', url: pickup, host: HOSTS.flagship });
    }
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sent while the database was away');

    // A greeting still in the spool is in no database: the replica misses, the primary
    // that could have it is away, so "try again shortly" rather than "not found".
    const spooled = await down.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: payload(uniqueEmail('ann')),
    });
    const unread = new URL(spooled.json<Sent>().recipients[0]?.pickupUrl ?? '').pathname;
    const waiting = await down.request({ method: 'GET', url: unread, host: HOSTS.flagship });
    expect(waiting.statusCode).toBe(503);
    expect(waiting.headers['retry-after']).toBeDefined();
    expect(waiting.body).toContain('Ecardia');
    await drainAll();
  });
});

describe('sending while the primary and Redis are both unreachable', () => {
  let down: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    const [deadDb, deadRedis] = await Promise.all([freePort(), freePort()]);
    down = await startTestApp({
      DATABASE_URL: `mysql://ecard@127.0.0.1:${deadDb}/ecard_gone`,
      REDIS_URL: `redis://127.0.0.1:${deadRedis}`,
    });
    db = await openTestDb();
    card = await firstCardSlug(down, HOSTS.flagship);
  });
  afterAll(async () => {
    await down.close();
    await db.destroy();
  });

  it('says "try again shortly" (503 with Retry-After) and writes nothing', async () => {
    const sender = uniqueEmail('ann');
    const api = await down.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: sender },
        recipients: [{ name: 'Bob', email: uniqueEmail('bob') }],
        message: 'hello',
      },
    });
    expect(api.statusCode).toBe(503);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.headers['retry-after']).toBeDefined();

    const form = await down.request({
      method: 'POST',
      url: `/cards/${card}/send`,
      host: HOSTS.flagship,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encodeForm([
        ...(await servedFormFields(down, HOSTS.flagship, card)),
        ['senderName', 'Ann'],
        ['senderEmail', sender],
        ['recipientName', 'Bob'],
        ['recipientEmail', 'bob@example.com'],
        ['message', 'hi'],
        ['action', 'send'],
      ]),
    });
    expect(form.statusCode).toBe(503);
    expect(form.headers['content-type']).toContain('text/html');
    expect(form.body).toContain('try again');
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });
});
