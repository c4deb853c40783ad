import type { DataSource } from 'typeorm';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from './support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startWorker, type WorkerProcess } from './support/worker-process.js';

const OUTAGE_MS = 1500;

/**
 * The primary goes away in the one moment that matters most: the SMTP server has accepted the
 * email and the worker has not yet recorded it. The worker reaches the primary through a TCP
 * relay the test cuts from inside the SMTP server's accept; the web app and the assertions use
 * the real primary directly. Retries are quick and many here, so a job that gave up on the
 * record would be run again, and mail again, well within the test.
 */
describe('the primary lost between the SMTP accept and the delivered record', () => {
  let sink: SmtpSink;
  let proxy: TcpProxy;
  let web: TestApp;
  let worker: WorkerProcess;
  let db: DataSource;
  let env: Record<string, string>;
  let target = '';
  let cutAt = 0;

  beforeAll(async () => {
    env = await isolatedEnv('primary_lost');
    const primary = new URL(env.DATABASE_URL as string);
    proxy = await startTcpProxy({ host: primary.hostname, port: Number(primary.port) });
    sink = await startSmtpSink({
      onAccept: async (mail) => {
        if (!target || !mail.to.includes(target) || cutAt) return;
        cutAt = Date.now();
        await proxy.cut();
        setTimeout(() => void proxy.restore(), OUTAGE_MS);
      },
    });
    env.SMTP_URL = sink.url;
    web = await startTestApp(env);
    const throughProxy = new URL(primary);
    throughProxy.port = String(proxy.port);
    worker = await startWorker({
      ...env,
      DATABASE_URL: throughProxy.toString(),
      DELIVERY_BACKOFF_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '20',
      OUTBOX_SWEEP_MS: '200',
    });
    db = await openTestDb(env.DATABASE_URL);
  });

  afterAll(async () => {
    worker.kill('SIGTERM');
    await worker.exited;
    await web.close();
    await db.destroy();
    await sink.close();
    await proxy.close();
    await dropIsolatedEnv(env);
  });

  it('records the email once the primary is back and never sends it twice', async () => {
    target = uniqueEmail('lost-record');
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: {
        cardSlug: await firstCardSlug(web, HOSTS.flagship),
        sender: { name: 'Ann', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bob', email: target }],
        message: 'Sent as the database went away',
      },
    });
    expect(res.statusCode).toBe(201);
    const greetingId = res.json<{ id: string }>().id;
    const statusOf = async () =>
      (
        await db.query<{ status: string }[]>(
          'SELECT status FROM greeting_recipients WHERE greeting_id = ?',
          [greetingId],
        )
      )[0]?.status;

    const until = Date.now() + 20_000;
    while ((await statusOf()) !== 'delivered') {
      if (Date.now() > until) throw new Error(`still ${await statusOf()}:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(cutAt).toBeGreaterThan(0);
    // Recorded only after the primary came back: the worker held on to the outcome meanwhile.
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(OUTAGE_MS - 100);
    // Long enough for a retried job (backoff 100 ms) to have mailed again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.filter((m) => m.to.includes(target))).toHaveLength(1);
    const [history] = await db.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS n FROM greeting_recipient_events e
         JOIN greeting_recipients r ON r.id = e.recipient_id
        WHERE r.greeting_id = ? AND e.to_status = 'sending'`,
      [greetingId],
    );
    expect(Number(history?.n)).toBe(1);
  });
});
