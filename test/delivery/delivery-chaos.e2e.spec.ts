import type { DataSource } from 'typeorm';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from './support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startWorker, type WorkerProcess } from './support/worker-process.js';

/**
 * A worker killed with SIGKILL mid-run must neither lose nor duplicate a greeting: its jobs
 * stall, another worker takes them up, and each recipient's row decides whether to send.
 */
describe('exactly one email per recipient when a worker is killed mid-run', () => {
  let sink: SmtpSink;
  let web: TestApp;
  let db: DataSource;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    env = {
      ...(await isolatedEnv('chaos')),
      DELIVERY_LOCK_MS: '2000',
      DELIVERY_CONCURRENCY: '4',
    };
    // Slow acceptance keeps SMTP transactions in flight when the worker dies.
    sink = await startSmtpSink({ acceptDelayMs: 40 });
    env.SMTP_URL = sink.url;
    web = await startTestApp(env);
    db = await openTestDb(env.DATABASE_URL);
  });

  afterAll(async () => {
    for (const w of workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.kill('SIGKILL');
    }
    await web.close();
    await db.destroy();
    await sink.close();
    await dropIsolatedEnv(env);
  });

  it('delivers every recipient once after a SIGKILL and a second worker', async () => {
    const card = await firstCardSlug(web, HOSTS.flagship);
    workers.push(await startWorker(env));

    const greetingIds: string[] = [];
    const sends = Array.from({ length: 30 }, async (_, i) => {
      const res = await web.request({
        method: 'POST',
        url: '/api/greetings',
        host: HOSTS.flagship,
        payload: {
          cardSlug: card,
          sender: { name: `Sender ${i}`, email: uniqueEmail('chaos-sender') },
          recipients: [
            { name: 'A', email: uniqueEmail('chaos-a') },
            { name: 'B', email: uniqueEmail('chaos-b') },
          ],
          message: 'Sent while Redis was away',
        },
      });
      // The problem body, when there is one, says why a send was refused.
      expect({ status: res.statusCode, problem: res.statusCode === 201 ? null : res.body }).toEqual(
        {
          status: 201,
          problem: null,
        },
      );
      greetingIds.push(res.json<{ id: string }>().id);
    });
    await Promise.all(sends);

    // Kill while part of the batch is done and part is in flight.
    await sink.waitFor((all) => all.length >= 10, 15_000);
    workers[0]?.kill('SIGKILL');
    await workers[0]?.exited;
    const deliveredAtKill = sink.received.length;
    expect(deliveredAtKill).toBeLessThan(60);

    workers.push(await startWorker(env));
    const rows = async () =>
      db.query<{ id: string; status: string }[]>(
        'SELECT id, status FROM greeting_recipients WHERE greeting_id IN (?)',
        [greetingIds],
      );
    const until = Date.now() + 30_000;
    while ((await rows()).some((r) => r.status !== 'delivered')) {
      if (Date.now() > until) throw new Error('not all recipients were delivered in time');
      await new Promise((r) => setTimeout(r, 100));
    }

    const recipients = await rows();
    expect(recipients).toHaveLength(60);
    const idsByRecipient = new Map<string, Set<string>>();
    for (const mail of sink.received) {
      const recipientId = /^<([A-Za-z0-9_-]{22})\.greeting@/.exec(mail.messageId)?.[1];
      if (!recipientId) continue;
      const ids = idsByRecipient.get(recipientId) ?? new Set<string>();
      ids.add(mail.messageId);
      idsByRecipient.set(recipientId, ids);
    }
    for (const r of recipients) {
      // Exactly one distinct Message-ID per recipient; a resend after the kill (the message
      // was accepted but not yet recorded) carries that same id, so mailboxes drop it.
      expect(idsByRecipient.get(r.id)?.size).toBe(1);
    }
    const duplicates = sink.received.length - recipients.length;
    process.stdout.write(
      `chaos: ${deliveredAtKill} mails before the kill, ${duplicates} same-id resends after it\n`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(Number(env.DELIVERY_CONCURRENCY));

    workers[1]?.kill('SIGTERM');
    expect(await workers[1]?.exited).toBe(0);
    // Two worker processes start within it: room for a busy machine, as its own waits have.
  }, 60_000);
});
