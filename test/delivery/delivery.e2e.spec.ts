import type { DataSource } from 'typeorm';
import { openPickup } from '../support/browser-forms.js';
import { uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { type DeliveryStack, startDeliveryStack } from './support/delivery-stack.js';
import type { ReceivedMail, SmtpSink } from './support/smtp-sink.js';
import type { WorkerProcess } from './support/worker-process.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

interface Sent {
  id: string;
  status: string;
  recipients: { email: string; pickupUrl: string }[];
}

describe('delivery through the outbox, the queue, a worker process and real SMTP', () => {
  let sink: SmtpSink;
  let web: TestApp;
  let worker: WorkerProcess;
  let db: DataSource;
  let stack: DeliveryStack;
  let partnerCard: string;
  let flagshipCard: string;

  beforeAll(async () => {
    stack = await startDeliveryStack('delivery', {
      DELIVERY_BACKOFF_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '3',
      API_KEYS: `delivery-crm=${VOUCHING_API_KEY}`,
    });
    ({ sink, web, worker, db } = stack);
    partnerCard = await firstCardSlug(web, HOSTS.partner);
    flagshipCard = await firstCardSlug(web, HOSTS.flagship);
  });

  afterAll(async () => {
    if (process.env.SHOW_WORKER_LOG) process.stdout.write(worker.output());
    await stack.stop();
  });

  /** A send through the public API; `headers` may carry a partner system's key. */
  async function send(
    host: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Sent> {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host,
      headers,
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    return res.json<Sent>();
  }

  function greeting(card: string, recipients: string[], extra: Record<string, unknown> = {}) {
    return {
      cardSlug: card,
      sender: { name: 'Ann Example', email: uniqueEmail('ann') },
      recipients: recipients.map((email, i) => ({ name: `Friend ${i + 1}`, email })),
      message: 'Happy birthday!',
      ...extra,
    };
  }

  const to = (address: string) => (m: ReceivedMail) => m.to.includes(address);
  const statuses = async (greetingId: string): Promise<string[]> =>
    (
      await db.query<{ status: string }[]>(
        'SELECT status FROM greeting_recipients WHERE greeting_id = ? ORDER BY position',
        [greetingId],
      )
    ).map((r) => r.status);

  async function waitForStatus(greetingId: string, wanted: string[], timeoutMs = 10_000) {
    const until = Date.now() + timeoutMs;
    while (JSON.stringify(await statuses(greetingId)) !== JSON.stringify(wanted)) {
      if (Date.now() > until) throw new Error(`statuses: ${(await statuses(greetingId)).join()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('mails each recipient of a partner-site greeting once, multipart and in its branding', async () => {
    const recipients = [uniqueEmail('r1'), uniqueEmail('r2'), uniqueEmail('r3')];
    const sent = await send(HOSTS.partner, greeting(partnerCard, recipients));
    await sink.waitFor((all) => recipients.every((r) => all.some(to(r))));
    await waitForStatus(sent.id, ['delivered', 'delivered', 'delivered']);

    for (const [i, address] of recipients.entries()) {
      const mails = sink.received.filter(to(address));
      expect(mails).toHaveLength(1);
      const mail = mails[0] as ReceivedMail;
      expect(mail.contentType).toBe('multipart/alternative');
      expect(mail.subject).toBe('Ann Example sent you an ecard');
      expect(mail.from).toBe('"Kindred Paper Co." <cards@kindredpaper.example>');
      expect(mail.headers.get('reply-to')).toBeDefined();
      const pickupUrl = sent.recipients[i]?.pickupUrl as string;
      expect(pickupUrl.startsWith('http://cards.kindredpaper.example:8080/p/')).toBe(true);
      expect(mail.text).toContain(pickupUrl);
      expect(mail.html).toContain(pickupUrl);
      // The partner's own template and the sender shown in the body.
      expect(mail.text).toContain('Open the envelope');
      expect(mail.html).toContain('Kindred Paper Co.');
      expect(mail.text).toContain('Ann Example (ann.');
      const recipientId = new URL(pickupUrl).pathname.slice(3, 25);
      expect(mail.messageId).toBe(`<${recipientId}.greeting@cards.kindredpaper.example>`);
      expect(mail.rawHeaders).toMatch(
        /^List-Unsubscribe: <http:\/\/cards\.kindredpaper\.example:8080\/unsubscribe\/[A-Za-z0-9_-]{44}>/m,
      );
      expect(mail.rawHeaders).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    }
    const events = await db.query<{ to_status: string }[]>(
      `SELECT e.to_status FROM greeting_recipient_events e
       JOIN greeting_recipients r ON r.id = e.recipient_id
       WHERE r.greeting_id = ? AND r.position = 0 ORDER BY e.id`,
      [sent.id],
    );
    expect(events.map((e) => e.to_status)).toEqual(['queued', 'sending', 'delivered']);
  });

  it('delivers a greeting scheduled a few seconds ahead on time, not early, once', async () => {
    const address = uniqueEmail('later');
    const sendAt = new Date(Date.now() + 3000);
    const local = sendAt.toISOString().slice(0, 19);
    const sent = await send(
      HOSTS.flagship,
      greeting(flagshipCard, [address], { sendAt: `${local}Z`, timeZone: 'UTC' }),
    );
    expect(sent.status).toBe('scheduled');
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.filter(to(address))).toHaveLength(0);
    await sink.waitFor((all) => all.some(to(address)), 8000);
    const arrivedAt = Date.now();
    expect(arrivedAt).toBeGreaterThanOrEqual(Math.floor(sendAt.getTime() / 1000) * 1000 - 1000);
    await waitForStatus(sent.id, ['delivered']);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.received.filter(to(address))).toHaveLength(1);
  });

  it('retries a transient refusal and bounces a permanent one, suppressing the address', async () => {
    const flaky = uniqueEmail('flaky');
    const gone = uniqueEmail('gone');
    sink.failFor(flaky, 451, 1);
    sink.failFor(gone, 550, 5);
    const sent = await send(HOSTS.flagship, greeting(flagshipCard, [flaky, gone]));
    await waitForStatus(sent.id, ['delivered', 'bounced']);
    expect(sink.received.filter(to(flaky))).toHaveLength(1);
    expect(sink.received.filter(to(gone))).toHaveLength(0);
    const [attempts] = await db.query<{ attempts: number }[]>(
      'SELECT attempts FROM greeting_recipients WHERE greeting_id = ? AND position = 0',
      [sent.id],
    );
    expect(Number(attempts?.attempts)).toBe(2);

    const again = await send(HOSTS.flagship, greeting(flagshipCard, [gone.toUpperCase()]));
    await waitForStatus(again.id, ['suppressed']);
    expect(sink.received.filter((m) => m.to.includes(gone.toUpperCase()))).toHaveLength(0);
  });

  it('honours one-click unsubscribe: that site never mails the address again, others still may', async () => {
    const address = uniqueEmail('optout');
    const sent = await send(HOSTS.partner, greeting(partnerCard, [address]));
    await sink.waitFor((all) => all.some(to(address)));
    const mail = sink.received.find(to(address)) as ReceivedMail;
    const link = /^List-Unsubscribe: <([^>]+)>/m.exec(mail.rawHeaders)?.[1] as string;
    const path = new URL(link).pathname;

    const page = await web.request({ method: 'GET', url: path, host: HOSTS.partner });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const elsewhere = await web.request({ method: 'GET', url: path, host: HOSTS.flagship });
    expect(elsewhere.statusCode).toBe(404);

    const oneClick = await web.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    await waitForStatus(sent.id, ['delivered']);
    // On the recipient's history once, the card still delivered, however often it is clicked.
    const again = await web.request({
      method: 'POST',
      url: path,
      host: HOSTS.partner,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(again.statusCode).toBe(200);
    const history = await db.query<{ event: string; from_status: string; to_status: string }[]>(
      `SELECT e.event, e.from_status, e.to_status FROM greeting_recipient_events e
       JOIN greeting_recipients r ON r.id = e.recipient_id WHERE r.greeting_id = ? ORDER BY e.id`,
      [sent.id],
    );
    expect(history.filter((e) => e.event === 'unsubscribe')).toEqual([
      { event: 'unsubscribe', from_status: 'delivered', to_status: 'delivered' },
    ]);

    const later = await send(HOSTS.partner, greeting(partnerCard, [address]));
    await waitForStatus(later.id, ['suppressed']);
    expect(sink.received.filter(to(address))).toHaveLength(1);
    // The opt-out was from this partner's cards: another site's card still reaches them.
    const elsewhereLater = await send(HOSTS.flagship, greeting(flagshipCard, [address]));
    await waitForStatus(elsewhereLater.id, ['delivered']);
    expect(sink.received.filter(to(address))).toHaveLength(2);
  });

  it('marks the first open and tells the sender once', async () => {
    const address = uniqueEmail('reader');
    const body = greeting(flagshipCard, [address]);
    const senderEmail = (body.sender as { email: string }).email;
    // Sent by a partner system that vouches for its senders: only they hear of opens.
    const sent = await send(HOSTS.flagship, body, { 'x-api-key': VOUCHING_API_KEY });
    await waitForStatus(sent.id, ['delivered']);
    const path = new URL(sent.recipients[0]?.pickupUrl as string).pathname;
    for (let i = 0; i < 2; i++) {
      expect(await openPickup(web, HOSTS.flagship, path)).toBe(204);
    }
    await waitForStatus(sent.id, ['opened']);
    await sink.waitFor((all) => all.some(to(senderEmail)));
    await new Promise((r) => setTimeout(r, 300));
    const notices = sink.received.filter(to(senderEmail));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toBe('Friend 1 opened your ecard');
  });
});
