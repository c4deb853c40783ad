import { randomBytes } from 'node:crypto';
import { uniqueEmail } from '../support/db.js';
import { HOSTS } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from '../delivery/support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from '../delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../delivery/support/worker-process.js';
import { type LogLine, type ObservedApp, startObservedApp } from './support/observed-app.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

/** The worker's stdout as JSON lines (it writes JSON whenever stdout is not a terminal). */
function workerLines(worker: WorkerProcess): LogLine[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const event = (line: LogLine): unknown => (line.data as { event?: unknown } | undefined)?.event;
const messageIdOf = (line: LogLine): unknown =>
  (line.data as { messageId?: unknown } | undefined)?.messageId;

describe('one request id from the click to the SMTP reply', () => {
  let env: Record<string, string>;
  let sink: SmtpSink;
  let web: ObservedApp;
  let worker: WorkerProcess;

  beforeAll(async () => {
    // A partner system's key vouches for the sender, who is then mailed the notice.
    env = { ...(await isolatedEnv('request_trace')), API_KEYS: `trace-crm=${VOUCHING_API_KEY}` };
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

  async function firstSlug(host: string): Promise<string> {
    const cards = await web.request({ method: 'GET', url: '/api/cards?limit=1', host });
    return cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
  }

  async function waitForLine(match: (line: LogLine) => boolean): Promise<LogLine | undefined> {
    for (let i = 0; i < 150; i++) {
      const found = workerLines(worker).find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  /** Sends a greeting under a request id of the test's own, and checks it was accepted. */
  async function sendTraced(
    host: string,
    sender: string,
    recipients: string[],
    extra: Record<string, string> = {},
  ): Promise<{ requestId: string }> {
    const requestId = `trace-${randomBytes(6).toString('hex')}`;
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host,
      headers: { 'x-request-id': requestId, 'x-api-key': VOUCHING_API_KEY },
      payload: {
        cardSlug: await firstSlug(host),
        sender: { name: 'Tracy Sender', email: sender },
        recipients: recipients.map((email, i) => ({ name: `Traced ${i}`, email })),
        message: 'Followed all the way',
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    return { requestId };
  }

  it('carries the id of a scheduled send into the notice the worker mails its sender', async () => {
    const sender = uniqueEmail('traced-scheduler');
    const { requestId } = await sendTraced(HOSTS.uk, sender, [uniqueEmail('traced-later')], {
      sendAt: new Date(Date.now() + 3600_000).toISOString(),
      timeZone: 'UTC',
    });
    await sink.waitFor((all) => all.some((m) => m.to.includes(sender)), 15_000);
    const notice = sink.received.find((m) => m.to.includes(sender));
    const line = await waitForLine(
      (l) => event(l) === 'smtp-reply' && messageIdOf(l) === notice?.messageId,
    );
    expect(line).toMatchObject({ context: 'Notices', requestId, site: 'merrypost' });
  });

  it('finds the send in the web log, a service line, and each SMTP reply in the worker log', async () => {
    const recipients = [uniqueEmail('traced-a'), uniqueEmail('traced-b')];
    const { requestId } = await sendTraced(HOSTS.partner, uniqueEmail('traced-sender'), recipients);

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

    // Reply lines are written just after the sink answered: the worker may be a moment behind.
    const recipientIds = new Set<unknown>();
    for (const address of recipients) {
      const mail = sink.received.find((m) => m.to.includes(address));
      const reply = await waitForLine(
        (l) => event(l) === 'smtp-reply' && messageIdOf(l) === mail?.messageId,
      );
      expect(reply).toMatchObject({
        process: 'worker',
        context: 'Delivery',
        requestId,
        site: 'kindred',
        data: { smtpCode: 250, smtpResponse: expect.stringMatching(/^250/) as unknown },
      });
      recipientIds.add((reply?.data as { recipientId?: unknown }).recipientId);
    }
    expect(recipientIds.size).toBe(2);
    // The claim and the record of each email carry the id as well.
    for (const step of ['claim', 'recorded']) {
      for (const id of recipientIds) {
        const line = await waitForLine(
          (l) => event(l) === step && (l.data as { recipientId?: unknown }).recipientId === id,
        );
        expect(line).toMatchObject({ requestId, site: 'kindred' });
      }
    }

    const everything = web.output.join('') + worker.output();
    for (const secret of [...recipients, 'Tracy Sender', 'Followed all the way']) {
      expect(everything).not.toContain(secret);
    }
  });
});
