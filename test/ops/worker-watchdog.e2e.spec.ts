import http from 'node:http';
import { dropIsolatedEnv, isolatedEnv } from '../delivery/support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from '../delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../delivery/support/worker-process.js';
import { uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { sampleValue } from './support/scrape.js';
import { until } from '../support/until.js';
import { type LogLine, linesOf } from './support/log-lines.js';

/** A real HTTP server standing in for the operators' alert endpoint. */
async function startWebhookReceiver(): Promise<{
  url: string;
  posts: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const posts: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST') posts.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    posts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const HEARTBEAT_MS = 250;
const TIMEOUT_MS = 1500;
const INTERVAL_MS = 250;
const OPS_EMAIL = 'ops-team@example.com';

describe('worker metrics, heartbeats and the watchdog (real worker processes)', () => {
  let env: Record<string, string>;
  let sink: SmtpSink;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let web: TestApp;
  let watcher: WorkerProcess;
  let metricsPort: number;

  beforeAll(async () => {
    env = await isolatedEnv('ops_watchdog');
    sink = await startSmtpSink();
    webhook = await startWebhookReceiver();
    metricsPort = await freePort();
    env = {
      ...env,
      SMTP_URL: sink.url,
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WATCHDOG_HEARTBEAT_TIMEOUT: String(TIMEOUT_MS),
      WATCHDOG_INTERVAL_MS: String(INTERVAL_MS),
      OPS_ALERT_WEBHOOK_URL: webhook.url,
      OPS_ALERT_EMAIL: OPS_EMAIL,
    };
    web = await startTestApp(env);
    // The first worker takes the watchdog lock before the second exists.
    watcher = await startWorker({ ...env, WORKER_METRICS_PORT: String(metricsPort) });
    await until(
      () => watcher.output().includes('watchdog active in this worker'),
      'the watchdog to become active',
      10_000,
    );
  }, 60_000);

  afterAll(async () => {
    watcher.kill('SIGTERM');
    await watcher.exited;
    await web.close();
    await sink.close();
    await webhook.close();
    await dropIsolatedEnv(env);
  });

  const scrape = async (): Promise<string> => {
    const res = await send(metricsPort, { method: 'GET', url: '/metrics', host: 'localhost' });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('serves queue depth, pool use, job durations and outcomes per site on its own port', async () => {
    const slug = await firstCardSlug(web, HOSTS.partner);
    const delivered = uniqueEmail('ops-delivered');
    const bounced = uniqueEmail('ops-bounced');
    sink.failFor(bounced, 550);
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: {
        cardSlug: slug,
        sender: { name: 'Ann', email: uniqueEmail('ops-sender') },
        recipients: [
          { name: 'Bob', email: delivered },
          { name: 'Cy', email: bounced },
        ],
        message: 'Hello',
      },
    });
    expect(res.statusCode).toBe(201);
    await sink.waitFor((all) => all.some((m) => m.to.includes(delivered)), 15_000);

    // Counters move when the worker records the outcome, just after the SMTP reply.
    let text = '';
    const outcome = (o: string): number =>
      sampleValue(text, 'ecard_greetings_recipients_total', { site: 'kindred', outcome: o });
    const completed = { queue: 'delivery', outcome: 'completed' };
    // The job completes just after its outcome is recorded.
    const jobsDone = (): number => sampleValue(text, 'ecard_job_duration_seconds_count', completed);
    const deadline = Date.now() + 10_000;
    do {
      text = await scrape();
      if (outcome('delivered') >= 1 && outcome('bounced') >= 1 && jobsDone() >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);

    expect(outcome('delivered')).toBe(1);
    expect(outcome('bounced')).toBe(1);
    expect(jobsDone()).toBe(2);
    for (const state of ['waiting', 'delayed', 'active', 'failed']) {
      expect(text).toContain(`ecard_queue_jobs{queue="delivery",state="${state}"}`);
      expect(text).toContain(`ecard_queue_jobs{queue="notifications",state="${state}"}`);
    }
    expect(
      sampleValue(text, 'ecard_db_pool_connections', { store: 'primary', state: 'open' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'ecard_db_pool_size', { store: 'replica-0' })).toBe(10);
    expect(text).toContain('process_cpu_user_seconds_total');
    // The worker's log lines (delivery, bounce, metrics) never carry a recipient address.
    for (const address of [delivered, bounced]) expect(watcher.output()).not.toContain(address);
  }, 40_000);

  it('raises one alert (log, webhook, email) when a worker is killed', async () => {
    const victim = await startWorker(env);
    const victimPid = victim.child.pid;
    // Two beats, so the victim is known to the watchdog as alive first.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2 + 100));
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await victim.exited;

    const isAlert = (l: LogLine): boolean =>
      l.level === 'error' &&
      l.alertState === 'firing' &&
      l.workerPid === victimPid &&
      String(l.alert).startsWith('heartbeat-missing:');
    // Detection takes at most the timeout (counted from the last beat, which came before the
    // kill) plus one watchdog round; a second round is allowed for scheduling on a busy box.
    const allowedMs = TIMEOUT_MS + 2 * INTERVAL_MS + 500;
    await until(() => linesOf(watcher.output()).some(isAlert), 'the alert line', allowedMs + 2000);
    const detectedAfter = Date.now() - killedAt;
    expect(detectedAfter).toBeLessThanOrEqual(allowedMs);

    const line = linesOf(watcher.output()).find(isAlert) ?? {};
    expect(line).toMatchObject({ process: 'worker', context: 'Watchdog', stage: 'test' });
    expect(String(line.msg)).toMatch(/^alert: worker .* sent no heartbeat/);

    await until(
      () => webhook.posts.some((p) => p.alert === line.alert && p.state === 'firing'),
      'the webhook POST',
      5000,
    );
    await sink.waitFor(
      (all) => all.some((m) => m.to.includes(OPS_EMAIL) && m.subject.includes('ALERT')),
      5000,
    );

    // Deduplicated: more rounds pass, the condition holds, nothing is raised again.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 4));
    expect(linesOf(watcher.output()).filter(isAlert)).toHaveLength(1);
    expect(webhook.posts.filter((p) => p.alert === line.alert)).toHaveLength(1);
    // The alert line names the worker, never a recipient or the ops address.
    expect(watcher.output()).not.toContain(OPS_EMAIL);
    process.stdout.write(`watchdog alert ${detectedAfter} ms after SIGKILL\n`);
  }, 30_000);
});
