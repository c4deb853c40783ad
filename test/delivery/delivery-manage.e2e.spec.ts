import type { DataSource } from 'typeorm';
import { uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { type DeliveryStack, startDeliveryStack } from './support/delivery-stack.js';
import type { SmtpSink } from './support/smtp-sink.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

interface Sent {
  id: string;
  status: string;
  manageUrl?: string;
  recipients: { email: string; pickupUrl: string }[];
}

describe('changing and cancelling a scheduled greeting', () => {
  let sink: SmtpSink;
  let web: TestApp;
  let db: DataSource;
  let stack: DeliveryStack;
  let card: string;

  beforeAll(async () => {
    stack = await startDeliveryStack('manage', { API_KEYS: `manage-crm=${VOUCHING_API_KEY}` });
    ({ sink, web, db } = stack);
    card = await firstCardSlug(web, HOSTS.flagship);
  });

  afterAll(() => stack.stop());

  /** A scheduled card, from a partner system that vouches for its sender unless `typed`. */
  async function schedule(
    secondsAhead: number,
    recipient: string,
    sender = uniqueEmail('ann'),
    typed = false,
  ) {
    const sendAt = new Date(Date.now() + secondsAhead * 1000).toISOString();
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: typed ? {} : { 'x-api-key': VOUCHING_API_KEY },
      payload: {
        cardSlug: card,
        sender: { name: 'Ann Example', email: sender },
        recipients: [{ name: 'Bo', email: recipient }],
        message: 'First words',
        sendAt,
        timeZone: 'UTC',
      },
    });
    expect(res.statusCode).toBe(201);
    const sent = res.json<Sent>();
    const manage = new URL(sent.manageUrl as string);
    return {
      sent,
      path: `/api/greetings/${sent.id}`,
      token: manage.searchParams.get('s') as string,
      manage,
    };
  }

  const status = async (greetingId: string) =>
    (
      await db.query<{ status: string }[]>(
        'SELECT status FROM greeting_recipients WHERE greeting_id = ?',
        [greetingId],
      )
    ).map((r) => r.status);

  it('mails the sender a manage link and lets them change the message and the time', async () => {
    const sender = uniqueEmail('sender');
    const recipient = uniqueEmail('moved');
    const { sent, path, token, manage } = await schedule(120, recipient, sender);
    await sink.waitFor((all) => all.some((m) => m.to.includes(sender)));
    const notice = sink.received.find((m) => m.to.includes(sender));
    expect(notice?.subject).toBe('Your ecard is scheduled');
    expect(notice?.text).toContain(manage.toString());
    // The site's logo from its own host, and the time with the zone it was chosen in.
    expect(notice?.html).toMatch(
      /<img src="http:\/\/www\.ecardia\.example:8080\/assets\/ecardia\/logo-email\.[0-9a-f]{12}\.png" alt="Ecardia" width="\d+" height="40"/,
    );
    expect(notice?.text).toMatch(/is scheduled for .+ \(UTC, UTC\), to:/);

    const page = await web.request({
      method: 'GET',
      url: manage.pathname + manage.search,
      host: HOSTS.flagship,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cancel this card');

    const newTime = new Date(Date.now() + 2000).toISOString();
    const res = await web.request({
      method: 'PATCH',
      url: `${path}?token=${token}`,
      host: HOSTS.flagship,
      payload: { message: 'Better words', sendAt: newTime },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ message: string }>().message).toBe('Better words');
    await sink.waitFor((all) => all.some((m) => m.to.includes(recipient)), 10_000);
    // The sink has the mail a moment before the worker records the delivery.
    const deadline = Date.now() + 5000;
    while ((await status(sent.id))[0] !== 'delivered' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await status(sent.id)).toEqual(['delivered']);

    const late = await web.request({
      method: 'DELETE',
      url: path,
      host: HOSTS.flagship,
      headers: { 'x-manage-token': token },
    });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('already being delivered');
  });

  it('mails no manage link to a sender address someone merely typed', async () => {
    const { sent, manage } = await schedule(120, uniqueEmail('bo'), uniqueEmail('typed'), true);
    // The link is on the confirmation (here, the API's answer) only.
    expect(manage.pathname).toContain(sent.id);
    const queued = await db.query<{ n: number }[]>(
      "SELECT COUNT(*) AS n FROM outbox WHERE topic = 'notify-sender-scheduled' AND payload LIKE ?",
      [`%${sent.id}%`],
    );
    expect(Number(queued[0]?.n)).toBe(0);
  });

  it('cancels before dispatch: no email, recipients cancelled, later changes refused', async () => {
    const recipient = uniqueEmail('cancelled');
    // Inside the relay's look-ahead, so a delayed job is already waiting in Redis.
    const { sent, path, token } = await schedule(5, recipient);
    const wrong = await web.request({
      method: 'DELETE',
      url: `${path}?token=nope`,
      host: HOSTS.flagship,
    });
    expect(wrong.statusCode).toBe(404);
    const res = await web.request({
      method: 'DELETE',
      url: `${path}?token=${token}`,
      host: HOSTS.flagship,
    });
    expect(res.statusCode).toBe(200);
    expect(await status(sent.id)).toEqual(['cancelled']);
    await new Promise((r) => setTimeout(r, 6000));
    expect(sink.received.some((m) => m.to.includes(recipient))).toBe(false);
    const again = await web.request({
      method: 'PATCH',
      url: `${path}?token=${token}`,
      host: HOSTS.flagship,
      payload: { message: 'x' },
    });
    expect(again.statusCode).toBe(409);
  });
});
