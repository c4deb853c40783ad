import type { DataSource } from 'typeorm';
import { lateGreetingConditions } from '../../src/ops/late-greetings.js';
import { OverdueRecipientsRepository } from '../../src/ops/overdue-recipients.repository.js';
import type { DatabaseService } from '../../src/platform/database/database.service.js';
import { emailHash } from '../../src/delivery/suppressions.repository.js';
import { sampleValue } from '../ops/support/scrape.js';
import { uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import {
  deliverReport,
  deliveryStatusNotification,
  feedbackReport,
  type ReturnedEmail,
} from './support/bounce-messages.js';
import { type DeliveryStack, startDeliveryStack } from './support/delivery-stack.js';
import type { ReceivedMail, SmtpSink } from './support/smtp-sink.js';

interface Sent {
  id: string;
  recipients: { email: string }[];
}

/** The development and test stages' platform-wide bounce domain. */
const BOUNCE_DOMAIN = 'bounces.localhost';

/**
 * The sink side of delivery, end to end: a real worker mails greetings with VERP Return-Paths
 * to a real SMTP server, and real DSN and ARF messages are sent over SMTP to the worker's
 * bounce listener, as a receiving mail system would.
 */
describe('bounces and complaints through the bounce listener', () => {
  let stack: DeliveryStack;
  let sink: SmtpSink;
  let web: TestApp;
  let db: DataSource;
  let bouncePort: number;
  let metricsPort: number;
  let card: string;

  beforeAll(async () => {
    // One after the other: two at once could be handed the same port.
    bouncePort = await freePort();
    metricsPort = await freePort();
    stack = await startDeliveryStack('bounces', {
      BOUNCE_SMTP_PORT: String(bouncePort),
      WORKER_METRICS_PORT: String(metricsPort),
      BOUNCE_SOFT_LIMIT: '2',
    });
    ({ sink, web, db } = stack);
    card = await firstCardSlug(web, HOSTS.partner);
  });

  afterAll(() => stack.stop());

  async function send(
    recipient: string,
    extra: Record<string, unknown> = {},
    host: string = HOSTS.partner,
  ): Promise<string> {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host,
      payload: {
        cardSlug: host === HOSTS.partner ? card : await firstCardSlug(web, host),
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bob', email: recipient }],
        message: 'Happy birthday!',
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Sent>().id;
  }

  async function recipientOf(greetingId: string): Promise<{ id: string; status: string }> {
    const [row] = await db.query<{ id: string; status: string }[]>(
      'SELECT id, status FROM greeting_recipients WHERE greeting_id = ?',
      [greetingId],
    );
    if (!row) throw new Error(`no recipient for ${greetingId}`);
    return row;
  }

  async function waitForStatus(greetingId: string, wanted: string): Promise<void> {
    const until = Date.now() + 10_000;
    while ((await recipientOf(greetingId)).status !== wanted) {
      if (Date.now() > until) throw new Error(`status ${(await recipientOf(greetingId)).status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a greeting and waits until its email is delivered: what a bounce would be about. */
  async function delivered(recipient: string): Promise<ReturnedEmail & { greetingId: string }> {
    const greetingId = await send(recipient);
    const to = (m: ReceivedMail) => m.to.includes(recipient);
    await sink.waitFor((all) => all.some(to));
    await waitForStatus(greetingId, 'delivered');
    const mail = sink.received.find(to) as ReceivedMail;
    return { greetingId, returnPath: mail.envelopeFrom, to: recipient, messageId: mail.messageId };
  }

  /** Delivers a report to the bounce listener as a mail system would; rejects with its reply. */
  const report = (rcpt: string, raw: string): Promise<void> =>
    deliverReport({ host: '127.0.0.1', port: bouncePort }, rcpt, raw);

  async function suppression(email: string): Promise<{ reason: string; site_id: string } | null> {
    const rows = await db.query<{ reason: string; site_id: string }[]>(
      'SELECT reason, site_id FROM suppressions WHERE email_hash = ?',
      [emailHash(email)],
    );
    return rows[0] ?? null;
  }

  const events = async (recipientId: string) =>
    db.query<{ event: string; from_status: string; to_status: string }[]>(
      'SELECT event, from_status, to_status FROM greeting_recipient_events WHERE recipient_id = ? ORDER BY id',
      [recipientId],
    );

  /** The outcomes the reports have counted for the recipient. */
  const factsOf = async (recipientId: string) =>
    (
      await db.query<{ outcome: string }[]>(
        'SELECT outcome FROM report_facts WHERE recipient_id = ? ORDER BY outcome',
        [recipientId],
      )
    ).map((r) => r.outcome);

  const reportsOf = async (recipientId: string) =>
    (
      await db.query<{ kind: string }[]>(
        'SELECT kind FROM bounce_reports WHERE recipient_id = ? ORDER BY id',
        [recipientId],
      )
    ).map((r) => r.kind);

  it('sends every greeting with a signed return path of its own on the bounce domain', async () => {
    const a = await delivered(uniqueEmail('verp-a'));
    const b = await delivered(uniqueEmail('verp-b'));
    expect(a.returnPath).toMatch(new RegExp(`^r-[0-9a-f]{24}-[0-9a-f]{32}@${BOUNCE_DOMAIN}$`));
    expect(b.returnPath).not.toBe(a.returnPath);
  });

  it('marks a hard bounce, suppresses the address for that site only, and counts it', async () => {
    const address = uniqueEmail('hard');
    const original = await delivered(address);
    const dsn = deliveryStatusNotification(original, { action: 'failed', status: '5.1.1' });
    await report(original.returnPath, dsn);

    const recipient = await recipientOf(original.greetingId);
    expect(recipient.status).toBe('bounced');
    expect((await events(recipient.id)).at(-1)).toEqual({
      event: 'bounce',
      from_status: 'delivered',
      to_status: 'bounced',
    });
    expect(await suppression(address)).toEqual({ reason: 'bounced', site_id: 'kindred' });

    // The same DSN again (a retrying mail system): accepted, counted once.
    await report(original.returnPath, dsn);
    expect(await reportsOf(recipient.id)).toEqual(['hard']);

    expect(await factsOf(recipient.id)).toEqual(['accepted', 'bounced', 'delivered']);

    const next = await send(address);
    await waitForStatus(next, 'suppressed');
    expect(sink.received.filter((m) => m.to.includes(address))).toHaveLength(1);

    // Another partner's site never had this bounce: its card to the address still goes.
    const elsewhere = await send(address, {}, HOSTS.uk);
    await waitForStatus(elsewhere, 'delivered');
    expect(sink.received.filter((m) => m.to.includes(address))).toHaveLength(2);
  });

  it('takes a feedback-loop complaint sent to the fixed address, matched by its quoted return path', async () => {
    const address = uniqueEmail('complains');
    const original = await delivered(address);
    await report(`fbl@${BOUNCE_DOMAIN}`, feedbackReport(original, 'abuse'));

    const recipient = await recipientOf(original.greetingId);
    expect(recipient.status).toBe('complained');
    expect(await suppression(address)).toEqual({ reason: 'complained', site_id: 'kindred' });
    expect(await factsOf(recipient.id)).toEqual(['accepted', 'complained', 'delivered']);
  });

  it('counts soft bounces once each, and suppresses the address at the limit', async () => {
    const address = uniqueEmail('soft');
    const original = await delivered(address);
    const first = deliveryStatusNotification(original, { action: 'delayed', status: '4.4.7' });
    await report(original.returnPath, first);
    await report(original.returnPath, first);

    const recipient = await recipientOf(original.greetingId);
    expect(recipient.status).toBe('delivered');
    expect(await reportsOf(recipient.id)).toEqual(['soft']);
    expect((await events(recipient.id)).map((e) => e.event)).toContain('soft-bounce');
    expect(await factsOf(recipient.id)).toContain('soft-bounced');
    expect(await suppression(address)).toBeNull();

    const second = deliveryStatusNotification(original, { action: 'failed', status: '4.2.2' });
    await report(original.returnPath, second);
    expect(await reportsOf(recipient.id)).toEqual(['soft', 'soft']);
    expect((await recipientOf(original.greetingId)).status).toBe('bounced');
    expect(await suppression(address)).toEqual({ reason: 'bounced', site_id: 'kindred' });
  });

  it('refuses a forged return path and mail for other domains, and ignores a forged quote', async () => {
    const address = uniqueEmail('forged');
    const original = await delivered(address);
    const [local] = original.returnPath.split('@') as [string];
    const forged = `${local.slice(0, 2)}${'0'.repeat(24)}${local.slice(26)}@${BOUNCE_DOMAIN}`;
    const dsn = deliveryStatusNotification(original, { action: 'failed', status: '5.1.1' });

    await expect(report(forged, dsn)).rejects.toMatchObject({ responseCode: 550 });
    await expect(report('someone@kindredpaper.example', dsn)).rejects.toMatchObject({
      responseCode: 550,
    });
    await report(`fbl@${BOUNCE_DOMAIN}`, feedbackReport({ ...original, returnPath: forged }));

    expect((await recipientOf(original.greetingId)).status).toBe('delivered');
    expect(await suppression(address)).toBeNull();
  });

  it("shows the outcomes and scheduled greetings' lateness per site on the worker's /metrics", async () => {
    const sendAt = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
    const greetingId = await send(uniqueEmail('scheduled'), {
      sendAt: `${sendAt.toISOString().slice(0, 19)}Z`,
      timeZone: 'UTC',
    });
    await waitForStatus(greetingId, 'delivered');

    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const site = { site: 'kindred' };
    expect(sampleValue(scrape, 'ecard_delivery_lateness_seconds_count', site)).toBe(1);
    expect(
      sampleValue(scrape, 'ecard_delivery_lateness_seconds_bucket', { ...site, le: '+Inf' }),
    ).toBe(1);
    const outcome = (o: string) =>
      sampleValue(scrape, 'ecard_bounce_reports_total', { ...site, outcome: o });
    expect(outcome('hard')).toBeGreaterThanOrEqual(1);
    expect(outcome('complaint')).toBeGreaterThanOrEqual(1);
    expect(outcome('soft-limit')).toBeGreaterThanOrEqual(1);
    expect(outcome('duplicate')).toBeGreaterThanOrEqual(2);
  });

  it('finds scheduled greetings still undelivered past their time, which fires the late alert', async () => {
    const sendAt = new Date(Math.ceil((Date.now() + 20 * 3_600_000) / 1000) * 1000);
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.uk,
      payload: {
        cardSlug: await firstCardSlug(web, HOSTS.uk),
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bob', email: uniqueEmail('later') }],
        message: 'Happy Christmas!',
        sendAt: `${sendAt.toISOString().slice(0, 19)}Z`,
        timeZone: 'UTC',
      },
    });
    expect(res.statusCode).toBe(201);
    const repository = new OverdueRecipientsRepository({
      writer: () => db.manager,
    } as unknown as DatabaseService);

    // As the watchdog would see it 61 s after the greeting's time, with nothing delivered.
    const now = sendAt.getTime() + 61_000;
    const overdue = await repository.overdue(new Date(now - 60_000), new Date(now));
    expect(overdue).toEqual([
      { siteId: 'merrypost', recipients: 1, oldestDueAt: sendAt.getTime() },
    ]);
    const alerts = lateGreetingConditions(overdue, { lateAfterMs: 60_000, lateCount: 1 }, now);
    expect([...alerts.keys()]).toEqual(['late:merrypost']);

    // A minute earlier it was not late yet.
    expect(await repository.overdue(new Date(now - 120_000), new Date(now - 60_000))).toEqual([]);
  });
});
