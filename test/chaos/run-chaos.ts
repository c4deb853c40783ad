/**
 * `npm run test:chaos`: the platform under load while its processes are SIGKILLed in turn —
 * the replica, the primary, Redis, a delivery worker and a web process — each restarted after
 * an outage. Real MariaDB, Redis, SMTP (smtp-server), web cluster and workers, on the chaos
 * profile's own services. Fails (exit 1) unless every greeting accepted during the run reaches
 * the SMTP sink exactly once, fewer than 0.1% of page requests fail, and each recovery is seen
 * within 5 s. The one copy allowed is the documented one: a same-Message-ID resend of an email
 * that arrived in the second before the delivery worker was SIGKILLed (see mailbox-tally.ts).
 */
import { startSmtpSink } from '../delivery/support/smtp-sink.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { CHAOS, killStore, resetStores, services } from './support/chaos-stack.js';
import { GreetingSender } from './support/greeting-sender.js';
import { tallyMailbox } from './support/mailbox-tally.js';
import { PageLoad, type PhaseLoad } from './support/page-load.js';
import {
  type AppProcess,
  buildForChaos,
  killEveryProcess,
  lastLinesOfEveryProcess,
  startProcess,
  stopProcess,
} from './support/processes.js';

const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 6000);
const RECOVERY_LIMIT_MS = 5000;
const PAGE_RATE = Number(process.env.CHAOS_PAGE_RATE ?? 150);
const SEND_INTERVAL_MS = 400;
/** The whole run normally takes two to three minutes; past this, it fails and says where. */
const DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_MS ?? 10 * 60_000);
/** How long a health or page probe waits before it counts as no answer. */
const PROBE_TIMEOUT_MS = 2000;

interface FaultRow extends PhaseLoad {
  fault: string;
  recoveryMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let lastStep = 'starting';
const log = (message: string) => {
  lastStep = message;
  process.stdout.write(`[chaos] ${message}\n`);
};

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  limitMs = 30_000,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
  return Date.now() - started;
}

const listeningPids = (output: string): number[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"listening on'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);

async function main(): Promise<boolean> {
  log('starting the chaos profile services, compiling the web and worker processes');
  services('up');
  await Promise.all([resetStores(), buildForChaos()]);
  const sink = await startSmtpSink({ parse: true });
  const port = await freePort();
  const env = {
    APP_STAGE: 'test',
    PORT: String(port),
    DATABASE_URL: CHAOS.primaryUrl,
    DATABASE_REPLICA_URLS: CHAOS.replicaUrl,
    REDIS_URL: CHAOS.redisUrl,
    REDIS_CACHE_URL: CHAOS.redisCacheUrl,
    SMTP_URL: sink.url,
    QUEUE_DASHBOARD: 'false',
    LOG_LEVEL: 'warn',
    // A killed worker's jobs come back after their lock expires: keep that short here.
    DELIVERY_LOCK_MS: '5000',
    OUTBOX_SWEEP_MS: '500',
  };
  // Two cluster workers behind one port: killing one leaves the other serving, as a second
  // instance behind a balancer would; the cluster primary replaces the dead one.
  const web = startProcess('main', { ...env, WEB_CONCURRENCY: '2' });
  const startWorker = async (): Promise<AppProcess> => {
    const worker = startProcess('worker', env);
    await waitFor('a worker started', () => worker.output().includes('worker started'));
    return worker;
  };
  const workers: AppProcess[] = await Promise.all([startWorker(), startWorker()]);
  await waitFor('two web workers listening', () => listeningPids(web.output()).length >= 2, 60_000);

  const ready = async (): Promise<Record<string, { status: string }>> => {
    const res = await send(port, {
      method: 'GET',
      url: '/health/ready',
      host: 'chaos',
      timeoutMs: PROBE_TIMEOUT_MS,
    }).catch(() => null);
    return res ? (res.json<{ details?: Record<string, { status: string }> }>().details ?? {}) : {};
  };
  const cards = await send(port, {
    method: 'GET',
    url: '/api/cards?limit=2',
    host: HOSTS.flagship,
  });
  const slugs = cards.json<{ items: { slug: string }[] }>().items.map((c) => c.slug);
  const card = slugs[0] ?? '';
  const paths = [
    '/',
    `/cards/${card}`,
    '/occasions/birthday',
    `/cards/${slugs[1] ?? card}`,
    '/api/cards?limit=4',
  ];
  for (const path of paths) await send(port, { method: 'GET', url: path, host: HOSTS.flagship });

  const load = new PageLoad(port, HOSTS.flagship, paths, PAGE_RATE);
  const sender = new GreetingSender(port, HOSTS.flagship, card, SEND_INTERVAL_MS);
  sender.start();
  const rows: FaultRow[] = [];
  let workerKilledAt: number | null = null;
  let all: PhaseLoad = { requests: 0, errors: 0, p99Ms: 0 };
  // Page requests and sends are counted against the fault during whose window they were made.
  const begin = (fault: string): void => {
    sender.phase = fault;
  };
  const finish = (recoveryMs: number): void => {
    const done = load.cut();
    all = {
      requests: all.requests + done.requests,
      errors: all.errors + done.errors,
      p99Ms: Math.max(all.p99Ms, done.p99Ms),
    };
    rows.push({ fault: sender.phase, ...done, recoveryMs });
  };
  const seenUp = async (dependency: string): Promise<boolean> =>
    (await ready())[dependency]?.status === 'up' && (await ready())[dependency]?.status === 'up';

  try {
    begin('none (baseline)');
    await sleep(4000);
    finish(0);

    for (const [name, dependency] of [
      ['replica', CHAOS.replicaDependency],
      ['primary', 'primary'],
      ['redis', 'redis'],
    ] as const) {
      begin(`${name} killed`);
      log(`SIGKILL ${name}`);
      killStore(name);
      await sleep(OUTAGE_MS);
      services('start', name);
      // Recovery: from the store answering again to both web workers using it again.
      const recoveryMs = await waitFor(`${name} seen up`, () => seenUp(dependency));
      log(`${name} back, seen up after ${recoveryMs} ms`);
      await sleep(3000);
      finish(recoveryMs);
    }

    begin('worker killed');
    log('SIGKILL a delivery worker');
    workerKilledAt = Date.now();
    workers[0]?.child.kill('SIGKILL');
    await sleep(OUTAGE_MS);
    const restarted = Date.now();
    const replacement = startWorker();
    // Recovery as senders see it: from the restart, every greeting accepted so far delivered
    // (the surviving worker takes the killed one's jobs when their lock expires). The
    // replacement's boot time is logged apart: on two shared cores node alone takes seconds.
    const workerRecovery = await waitFor('the delivery backlog cleared', () =>
      sender.accepted.every((a) => sink.received.some((m) => m.to.includes(a.address))),
    );
    workers[0] = await replacement;
    log(`worker restarted, booted in ${Date.now() - restarted} ms`);
    await sleep(3000);
    finish(workerRecovery);

    begin('web process killed');
    const before = listeningPids(web.output());
    const victim = before.at(-1) ?? 0;
    log(`SIGKILL web worker ${victim}`);
    process.kill(victim, 'SIGKILL');
    // Recovery as visitors see it: a new connection answered with a page (the other cluster
    // worker serves at once). The cluster primary's replacement boot is logged apart.
    const webRecovery = await waitFor('a page after the kill', async () => {
      const res = await send(port, {
        method: 'GET',
        url: '/',
        host: HOSTS.flagship,
        headers: { connection: 'close' },
        timeoutMs: PROBE_TIMEOUT_MS,
      }).catch(() => null);
      return res?.statusCode === 200;
    });
    const replaced = await waitFor(
      'a replacement web worker',
      () => listeningPids(web.output()).length > before.length,
    );
    log(`web worker replaced, listening after ${replaced + webRecovery} ms`);
    await sleep(OUTAGE_MS);
    finish(webRecovery);
  } finally {
    await sender.stop();
    load.stop();
  }

  const accepted = sender.accepted;
  const arrived = (address: string) => sink.received.some((m) => m.to.includes(address));
  log(`waiting for ${accepted.length} accepted greetings to arrive`);
  await waitFor(
    'every accepted greeting delivered',
    () => accepted.every((a) => arrived(a.address)),
    60_000,
  ).catch((error: unknown) => log(String(error)));
  await sleep(3000); // time for a duplicate to show up, if any would
  const tally = new Map(
    accepted.map((a) => [a.address, tallyMailbox(a.address, sink.received, workerKilledAt)]),
  );
  const tallyOf = (address: string) =>
    tally.get(address) ?? { received: 0, duplicated: false, resendsAfterKill: 0 };

  const table = rows.map((row) => {
    const sends = accepted.filter((a) => a.phase === row.fault);
    return {
      fault: row.fault,
      requests: row.requests,
      errors: row.errors,
      'p99 ms': row.p99Ms,
      'sends accepted': sends.length,
      delivered: sends.filter((a) => tallyOf(a.address).received >= 1).length,
      duplicated: sends.filter((a) => tallyOf(a.address).duplicated).length,
      'same-id resends': sends.reduce((n, a) => n + tallyOf(a.address).resendsAfterKill, 0),
      'recovery ms': row.recoveryMs,
    };
  });
  console.table(table);
  const lost = accepted.filter((a) => tallyOf(a.address).received === 0).length;
  const duplicated = accepted.filter((a) => tallyOf(a.address).duplicated).length;
  const resends = accepted.reduce((n, a) => n + tallyOf(a.address).resendsAfterKill, 0);
  const errorRate = all.requests ? all.errors / all.requests : 1;
  const slow = rows.filter((r) => r.recoveryMs > RECOVERY_LIMIT_MS);
  log(
    `pages: ${all.requests} requests, ${all.errors} errors (${(errorRate * 100).toFixed(3)}%); ` +
      `greetings: ${accepted.length} accepted, ${accepted.length - lost} delivered, ${lost} lost, ${duplicated} duplicated, ` +
      `${resends} same-id resends by the killed worker, ` +
      `${sender.refused} refusals retried by the client ` +
      `(${sender.unanswered} of them unanswered within the client's timeout)`,
  );
  const failures = [
    lost > 0 && `${lost} accepted greetings never arrived`,
    duplicated > 0 && `${duplicated} greetings arrived more than once`,
    errorRate >= 0.001 && `page error rate ${(errorRate * 100).toFixed(3)}% is not below 0.1%`,
    ...slow.map((r) => `${r.fault}: recovery took ${r.recoveryMs} ms (limit ${RECOVERY_LIMIT_MS})`),
    accepted.length === 0 && 'no greeting was accepted',
  ].filter((f): f is string => typeof f === 'string');
  for (const failure of failures) log(`FAIL ${failure}`);

  await Promise.all(workers.map(stopProcess));
  await stopProcess(web);
  await sink.close();
  return failures.length === 0;
}

// A hang is a failure like any other: report where the run was and what the processes said.
const deadline = setTimeout(() => {
  log(`FAILED: no result within ${DEADLINE_MS} ms; the last step logged was "${lastStep}"`);
  process.stdout.write(lastLinesOfEveryProcess());
  killEveryProcess();
  try {
    services('down');
  } finally {
    process.exit(1);
  }
}, DEADLINE_MS);
deadline.unref();

void main()
  .then((ok) => {
    log(ok ? 'PASS' : 'FAILED');
    return ok;
  })
  .catch((error: unknown) => {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return false;
  })
  .then((ok) => {
    try {
      services('down');
    } catch (error) {
      log(`stopping the chaos services failed: ${String(error)}`);
    }
    process.exit(ok ? 0 : 1);
  });
