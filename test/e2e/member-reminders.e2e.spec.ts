import { schedulerIdOf } from '../../src/accounts/reminders/reminder-schedules.js';
import { addDays, localToday } from '../../src/accounts/reminders/reminder-dates.js';
import { JobQueues } from '../../src/platform/queue/job-queues.js';
import { type JobPayloads, jobIdOf, QUEUES } from '../../src/platform/queue/jobs.js';
import { startDeliveryStack, type DeliveryStack } from '../delivery/support/delivery-stack.js';
import type { ReceivedMail } from '../delivery/support/smtp-sink.js';
import { AccountClient } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { HOSTS } from '../support/test-app.js';

const PASSWORD = 'a long enough passphrase';
const ZONE = 'Europe/London';

/**
 * Member reminders through a real worker and SMTP server. The daily scan is the job each site
 * and zone's scheduler fires; the test adds that job itself for a chosen local day, rather than
 * waiting for 08:00 to come round.
 */
describe('member reminders', () => {
  let stack: DeliveryStack;
  let queues: JobQueues;

  beforeAll(async () => {
    stack = await startDeliveryStack('member-reminders', { TRUST_PROXY: 'loopback' });
    queues = stack.web.app.get(JobQueues);
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** Runs one bucket's scan for a local day and waits until the worker has finished it. */
  async function scan(payload: JobPayloads['scan-member-reminders']): Promise<void> {
    const job = { name: 'scan-member-reminders' as const, payload };
    await queues.enqueue([{ job }]);
    const id = jobIdOf(job);
    for (let i = 0; i < 200; i++) {
      const state = await queues.use(QUEUES.notifications, (q) => q.getJobState(id));
      if (state === 'completed') return;
      if (state === 'failed') throw new Error(`scan ${id} failed`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`scan ${id} did not finish`);
  }

  const outboxRows = (reminderId: string) =>
    stack.db.query<{ message_key: string }[]>(
      "SELECT message_key FROM outbox WHERE topic = 'send-member-reminder' AND message_key LIKE ?",
      [`member-reminder:${reminderId}:%`],
    );

  it('emails a birthday reminder N days before in the member’s zone, once, and stops on request', async () => {
    const ann = new AccountClient(stack.web, HOSTS.flagship, '198.51.100.77');
    const email = uniqueEmail('remind');
    await ann.submit('/account/sign-up', '/account/sign-up', [
      ['displayName', 'Ann Reminded'],
      ['email', email],
      ['password', PASSWORD],
    ]);
    const signedIn = await ann.submit('/account/sign-in', '/account/sign-in', [
      ['email', email],
      ['password', PASSWORD],
      ['action', 'password'],
    ]);
    expect(signedIn.statusCode).toBe(303);

    // Ann lives in London; her friend's birthday is three days from today there.
    expect(
      (await ann.submit('/account/reminders', '/account/reminders/settings', [['timeZone', ZONE]]))
        .statusCode,
    ).toBe(303);
    const today = localToday(ZONE);
    const birthday = addDays(today, 3);
    const friend = uniqueEmail('friend');
    const added = await ann.submit('/account/contacts/new', '/account/contacts', [
      ['name', 'Bo Friend'],
      ['email', friend],
      ['dateId', ''],
      ['dateLabel', 'Birthday'],
      ['dateValue', `1990-${birthday.slice(5)}`],
    ]);
    expect(added.statusCode).toBe(303);
    const page = await ann.get('/account/reminders');
    expect(page.headers['cache-control']).toBe('private, no-store');
    const dateTarget = /<option value="(date:[0-9a-f-]{36})"/.exec(page.body)?.[1] ?? '';
    expect(page.body).toContain('<option value="occasion:christmas"');

    const bad = await ann.submit('/account/reminders', '/account/reminders', [
      ['target', dateTarget],
      ['daysBefore', '400'],
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Days before: enter a number from 0 to 60');
    for (const [target, days] of [
      [dateTarget, '3'],
      ['occasion:christmas', '7'],
    ] as const) {
      const res = await ann.submit('/account/reminders', '/account/reminders', [
        ['target', target],
        ['daysBefore', days],
      ]);
      expect(res.statusCode).toBe(303);
    }
    const listed = (await ann.get('/account/reminders')).body;
    expect(listed).toContain('<span class="reminder-what">Bo Friend: Birthday');
    expect(listed).toContain('3 days before');
    expect(listed).toContain('Christmas');

    // The London bucket has its daily scheduler, at 08:00 London time.
    const schedulers = await queues.use(QUEUES.notifications, (q) => q.getJobSchedulers());
    const london = schedulers.find((s) => s.key === schedulerIdOf('ecardia', ZONE));
    expect(london).toEqual(expect.objectContaining({ pattern: '0 8 * * *', tz: ZONE }));

    // The site's own zone's scan does not reach a member who lives elsewhere.
    await scan({ siteId: 'ecardia', timeZone: 'America/New_York', on: today });
    await scan({ siteId: 'ecardia', timeZone: ZONE, on: today });
    const isReminder = (m: ReceivedMail) => m.to.includes(email) && m.subject.includes('birthday');
    await stack.sink.waitFor((all) => all.some(isReminder));
    const mail = stack.sink.received.find(isReminder);
    expect(mail?.subject).toBe("Bo Friend's birthday is in 3 days");
    const contactId = /\/cards\/[a-z0-9-]+\/send\?to=([0-9a-f-]{36})/.exec(mail?.text ?? '')?.[1];
    expect(contactId).toBeDefined();
    const suggested = [
      ...(mail?.text ?? '').matchAll(/^- .+: (http\S+\/cards\/[a-z0-9-]+\/send\?to=\S+)$/gm),
    ];
    expect(suggested).toHaveLength(3);
    const compose = await ann.get(new URL(suggested[0]?.[1] ?? '').pathname + `?to=${contactId}`);
    expect(compose.body).toContain(`value="${friend}"`);

    // The next day's scan (catching up a missed day) finds it sent: one email per occurrence.
    const reminderId =
      /\/account\/reminders\/stop\/([0-9a-f-]{36})\//.exec(mail?.text ?? '')?.[1] ?? '';
    await scan({ siteId: 'ecardia', timeZone: ZONE, on: addDays(today, 1) });
    expect(await outboxRows(reminderId)).toHaveLength(1);

    // Stop this reminder: the link shows a button; a provider's one-click post stops it.
    const stopUrl =
      /(\/account\/reminders\/stop\/[0-9a-f-]{36}\/[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ??
      '';
    const stopPage = await ann.get(stopUrl);
    expect(stopPage.body).toContain('Stop this reminder?');
    expect((await ann.get(`${stopUrl.slice(0, -2)}xx`)).statusCode).toBe(404);
    const oneClick = await ann.post(stopUrl, [['List-Unsubscribe', 'One-Click']]);
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('This reminder is stopped');
    expect((await ann.get('/account/reminders')).body).not.toContain(
      '<span class="reminder-what">Bo Friend',
    );

    // Christmas, a week before: then every reminder off from the email's other link.
    const year = Number(today.slice(0, 4)) + 1;
    await scan({ siteId: 'ecardia', timeZone: ZONE, on: `${year}-12-18` });
    await stack.sink.waitFor((all) =>
      all.some((m) => m.to.includes(email) && m.subject === 'Christmas is in 7 days'),
    );
    const christmas = stack.sink.received.find((m) => m.subject === 'Christmas is in 7 days');
    expect(christmas?.rawHeaders).toMatch(
      /^List-Unsubscribe: <http:\/\/[^>]+\/account\/reminders\/stop\//m,
    );
    expect(christmas?.rawHeaders).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    const stopAll =
      /(\/account\/reminders\/stop-all\/[0-9a-f-]{36}\/[A-Za-z0-9_-]+)/.exec(
        christmas?.text ?? '',
      )?.[1] ?? '';
    const stopped = await ann.submit(stopAll, stopAll, []);
    expect(stopped.statusCode).toBe(200);
    expect(stopped.body).toContain('All your reminders are stopped');
    expect((await ann.get('/account/reminders')).body).toContain('Your reminders are off');
    const rows = await stack.db.query<{ reminders_stopped_at: Date | null }[]>(
      'SELECT reminders_stopped_at FROM members WHERE email = ?',
      [email],
    );
    expect(rows[0]?.reminders_stopped_at).toBeInstanceOf(Date);
    await scan({ siteId: 'ecardia', timeZone: ZONE, on: `${year + 1}-12-18` });
    const christmasId =
      /\/account\/reminders\/stop\/([0-9a-f-]{36})\//.exec(christmas?.text ?? '')?.[1] ?? '';
    expect(await outboxRows(christmasId)).toHaveLength(1);
  });
});
