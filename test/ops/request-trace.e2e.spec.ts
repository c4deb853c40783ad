import { randomBytes } from 'node:crypto';
import { uniqueEmail } from '../support/db.js';
import { HOSTS } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from '../delivery/support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from '../delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../delivery/support/worker-process.js';
import { type LogLine, type ObservedApp, startObservedApp } from './support/observed-app.js';

/** The worker's stdout as JSON lines (it writes JSON whenever stdout is not a terminal). */
function workerLines(worker: WorkerProcess): LogLine[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const event = (line: LogLine): unknown => (line.data as { event?: unknown } | undefined)?.event;

describe('one request id from the click to the SMTP reply', () => {
  let env: Record<string, string>;
  let sink: SmtpSink;
  let web: ObservedApp;
  let worker: WorkerProcess;

  beforeAll(async () => {
    env = await isolatedEnv('request_trace');
    sink = await startSmtpSink();
    worker = await startWorker({ ...env, SMTP_URL: sink.url, LOG_LEVEL: 'debug' });
    web = await startObservedApp({ ...env, SMTP_URL: sink.url });
  });
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await web?.close();
    await sink?.close();
    if (env) await dropIsolatedEnv(env);
  });

  it('finds the send in the web log, a service line, and each SMTP reply in the worker log', async () => {
    const cards = await web.request({
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.partner,
    });
    const slug = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    const requestId = `trace-${randomBytes(6).toString('hex')}`;
    const recipients = [uniqueEmail('traced-a'), uniqueEmail('traced-b')];
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      headers: { 'x-request-id': requestId },
      payload: {
        cardSlug: slug,
        sender: { name: 'Tracy Sender', email: uniqueEmail('traced-sender') },
        recipients: recipients.map((email, i) => ({ name: `Traced ${i}`, email })),
        message: 'Followed all the way',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);

    await sink.waitFor((all) => recipients.every((r) => all.some((m) => m.to.includes(r))), 15_000);
    const webLines = web.lines().filter((l) => l.requestId === requestId);
    expect(webLines.find((l) => l.msg === 'request')).toMatchObject({
      route: '/api/greetings',
      status: 201,
      site: 'kindred',
    });
    // A line written inside the greetings service, not by the edge.
    expect(webLines.find((l) => event(l) === 'greeting-accepted')).toMatchObject({
      context: 'Greetings',
      site: 'kindred',
      data: { recipientCount: 2 },
    });

    // The reply line is written just after the sink answered: give the worker a moment.
    const repliesFor = (messageId: string) =>
      workerLines(worker).find(
        (l) =>
          event(l) === 'smtp-reply' && (l.data as { messageId?: string }).messageId === messageId,
      );
    const received = recipients.map((r) => sink.received.find((m) => m.to.includes(r)));
    for (let i = 0; i < 100 && received.some((m) => !repliesFor(m?.messageId ?? '')); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const recipientIds = new Set<unknown>();
    for (const mail of received) {
      const reply = repliesFor(mail?.messageId ?? '');
      expect(reply).toMatchObject({
        process: 'worker',
        context: 'Delivery',
        requestId,
        site: 'kindred',
        data: { smtpCode: 250 },
      });
      recipientIds.add((reply?.data as { recipientId?: unknown }).recipientId);
    }
    expect(recipientIds.size).toBe(2);
    // The claim and the record of each email carry the id as well.
    const traced = workerLines(worker).filter((l) => l.requestId === requestId);
    expect(traced.filter((l) => event(l) === 'claim')).toHaveLength(2);
    for (let i = 0; i < 100 && traced.filter((l) => event(l) === 'recorded').length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      traced.splice(
        0,
        traced.length,
        ...workerLines(worker).filter((l) => l.requestId === requestId),
      );
    }
    expect(traced.filter((l) => event(l) === 'recorded')).toHaveLength(2);

    const everything = web.output.join('') + worker.output();
    for (const secret of [...recipients, 'Tracy Sender', 'Followed all the way']) {
      expect(everything).not.toContain(secret);
    }
  });
});
