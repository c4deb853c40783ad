import { generateKeyPairSync } from 'node:crypto';
import { openPickup } from '../support/browser-forms.js';
import type { DataSource } from 'typeorm';
import { uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { checkDkim } from './support/dkim.js';
import { type DeliveryStack, startDeliveryStack } from './support/delivery-stack.js';
import type { ReceivedMail, SmtpSink } from './support/smtp-sink.js';

/** The reminder window, shrunk from days to seconds through REMINDER_AFTER_DAYS. */
const REMIND_AFTER_MS = 5000;

interface Sent {
  id: string;
  recipients: { email: string; pickupUrl: string }[];
}

/**
 * A real worker with a DKIM key and a reminder window of seconds, against a real SMTP server:
 * what a receiving mail system sees.
 */
describe('DKIM signatures and the one reminder, through a real worker and SMTP', () => {
  let sink: SmtpSink;
  let web: TestApp;
  let db: DataSource;
  let stack: DeliveryStack;
  let publicKey: string;

  beforeAll(async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    stack = await startDeliveryStack('remind', {
      // As an operator would put it in an env file: one line, `\n` for the newlines.
      DKIM_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
      DKIM_DOMAIN: 'kindredpaper.example',
      DKIM_SELECTOR: 'cards2026',
      REMINDER_AFTER_DAYS: String(REMIND_AFTER_MS / 86_400_000),
      REMINDER_SCAN_SECONDS: '1',
    });
    ({ sink, web, db } = stack);
  });

  afterAll(() => stack.stop());

  async function send(recipients: string[]): Promise<Sent> {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: {
        cardSlug: await firstCardSlug(web, HOSTS.partner),
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: recipients.map((email, i) => ({ name: `Friend ${i + 1}`, email })),
        message: 'Happy birthday!',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Sent>();
  }

  const to = (address: string) => (m: ReceivedMail) => m.to.includes(address);

  it('signs every email with the configured key, and the signature verifies', async () => {
    const address = uniqueEmail('signed');
    await send([address]);
    await sink.waitFor((all) => all.some(to(address)));
    const mail = sink.received.find(to(address)) as ReceivedMail;

    const check = checkDkim(mail.raw, publicKey);
    expect(check.tags.get('v')).toBe('1');
    expect(check.tags.get('a')).toBe('rsa-sha256');
    expect(check.tags.get('d')).toBe('kindredpaper.example');
    expect(check.tags.get('s')).toBe('cards2026');
    const signedHeaders = (check.tags.get('h') ?? '').toLowerCase().split(':');
    for (const header of ['from', 'to', 'subject', 'message-id', 'list-unsubscribe']) {
      expect(signedHeaders).toContain(header);
    }
    expect(check.bodyHashMatches).toBe(true);
    expect(check.signatureValid).toBe(true);

    // The check is not a rubber stamp: a changed subject or body no longer verifies.
    const forged = mail.raw.replace(/^Subject: .*$/m, 'Subject: Bob sent you an ecard');
    expect(checkDkim(forged, publicKey).signatureValid).toBe(false);
    const split = mail.raw.indexOf('\r\n\r\n');
    const tampered = `${mail.raw.slice(0, split)}\r\n\r\nHello${mail.raw.slice(split + 4)}`;
    expect(checkDkim(tampered, publicKey).bodyHashMatches).toBe(false);
  });

  it('reminds a recipient who has not opened exactly once, and not one who has', async () => {
    const reader = uniqueEmail('reader');
    const ignorer = uniqueEmail('ignorer');
    const sent = await send([reader, ignorer]);
    await sink.waitFor((all) => all.some(to(reader)) && all.some(to(ignorer)));
    const opened = await openPickup(
      web,
      HOSTS.partner,
      new URL(sent.recipients[0]?.pickupUrl as string).pathname,
    );
    expect(opened).toBe(204);

    const isReminder = (m: ReceivedMail) => m.subject.startsWith('Reminder:');
    await sink.waitFor((all) => all.some((m) => to(ignorer)(m) && isReminder(m)), 20_000);
    // Several more scans (one a second) run; none may remind anyone again.
    await new Promise((r) => setTimeout(r, 4000));

    const reminders = sink.received.filter((m) => to(ignorer)(m) && isReminder(m));
    expect(reminders).toHaveLength(1);
    expect(sink.received.filter((m) => to(reader)(m) && isReminder(m))).toHaveLength(0);
    const reminder = reminders[0] as ReceivedMail;
    expect(reminder.subject).toBe('Reminder: Ann Example sent you an ecard');
    const ignorerId = new URL(sent.recipients[1]?.pickupUrl as string).pathname.slice(3, 25);
    expect(reminder.messageId).toBe(`<${ignorerId}.reminder@cards.kindredpaper.example>`);
    expect(reminder.text).toContain(sent.recipients[1]?.pickupUrl);
    expect(checkDkim(reminder.raw, publicKey).signatureValid).toBe(true);

    const rows = await db.query<{ email: string; delivered_at: Date; reminded_at: Date | null }[]>(
      'SELECT email, delivered_at, reminded_at FROM greeting_recipients WHERE greeting_id = ? ORDER BY position',
      [sent.id],
    );
    expect(rows[0]?.reminded_at).toBeNull();
    const ignored = rows[1];
    expect(ignored?.reminded_at).not.toBeNull();
    // Not before the configured time had passed since delivery.
    expect(
      (ignored?.reminded_at?.getTime() ?? 0) - (ignored?.delivered_at.getTime() ?? 0),
    ).toBeGreaterThanOrEqual(REMIND_AFTER_MS);
  });
});
