/**
 * bench:delivery — N greetings through outbox -> relay -> BullMQ -> worker process -> SMTP,
 * against nodemailer alone sending N messages to the same loopback SMTP server in the same run.
 * The two alternate for BENCH_ROUNDS rounds (the machine is shared: alternating exposes both
 * to the same noise); every round is printed, then the median ratio. Checks that every
 * recipient got exactly one message.
 *
 *   npm run bench:delivery                  # a warm-up round, then 3 rounds of 2000 recipients
 *   BENCH_N=5000 BENCH_WORKERS=1 npm run bench:delivery
 *   BENCH_TIMELINE=1                        # recipients per state every 200 ms
 *   BENCH_PROFILE_DIR=/some/dir             # a V8 CPU profile of each worker process
 *
 * Needs the test-profile services (started here if they are not running).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { Redis } from 'ioredis';
import { createTransport } from 'nodemailer';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { dropIsolatedEnv, isolatedEnv } from '../../test/delivery/support/isolated-env.js';
import { startSmtpSink, type SmtpSink } from '../../test/delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../../test/delivery/support/worker-process.js';
import { messageOptions } from '../../src/platform/mail/mail-sender.js';
import type { OutgoingMail } from '../../src/platform/mail/outgoing-mail.js';
import { median } from '../support/load.js';
import { nodeFlagsOf } from '../support/processes.js';
import { baselineMails } from './baseline-mail.js';
import {
  checkMailbox,
  processCpuMs,
  sampleTimeline,
  sendGreetings,
  waitDelivered,
} from './bench-data.js';

const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? N);
/**
 * Worker processes: one per CPU by default, as a deployment runs them (a worker is one event
 * loop; on two CPUs one worker can use only one of them, like nodemailer alone).
 */
const WORKERS = Number(process.env.BENCH_WORKERS ?? Math.max(1, availableParallelism()));
/** Each worker's pool size (SMTP_POOL_SIZE); the baseline gets as many connections in all. */
const POOL = Number(process.env.SMTP_POOL_SIZE ?? 5);
const CONCURRENCY = process.env.DELIVERY_CONCURRENCY ?? '100';

/** Started worker processes, killed on the way out whatever happens. */
const workers: WorkerProcess[] = [];

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * nodemailer alone, pooled as MailSender pools (maxMessages) with as many connections as all
 * the workers have together, sending the same emails the workers send (see baselineMails),
 * built before the clock starts.
 */
async function baseline(
  sink: SmtpSink,
  mails: OutgoingMail[],
): Promise<{ rate: number; cpu: number }> {
  const transport = createTransport({
    url: sink.url,
    pool: true,
    maxConnections: POOL * WORKERS,
    maxMessages: 1000,
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(mails.map((mail) => transport.sendMail(messageOptions(mail))));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  transport.close();
  return { rate: mails.length / seconds, cpu: (used.user + used.system) / 1000 / mails.length };
}

interface Stack {
  db: ReturnType<typeof createDataSource>;
  redis: Redis;
  sink: SmtpSink;
  queuePrefix: string;
  workerPids: number[];
  /** MariaDB primary, replica and Redis, whose CPU the pipeline also spends. */
  storePids: number[];
}

interface PipelineRun {
  rate: number;
  missing: number;
  duplicated: number;
  /** CPU ms per message: the worker processes, and this process (SMTP server, inserts). */
  workerCpu: number;
  benchCpu: number;
  storeCpu: number;
}

/** From the send transaction to the last recipient recorded `delivered`. */
async function pipeline(s: Stack, n: number, label: string): Promise<PipelineRun> {
  const before = s.sink.received.length;
  const started = performance.now();
  const benchCpu = process.cpuUsage();
  const workerCpu = s.workerPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const storeCpu = s.storePids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const ids = await sendGreetings(s.db, s.redis, s.queuePrefix, n, label);
  const timeline = process.env.BENCH_TIMELINE
    ? sampleTimeline(s.db, s.sink, started, before)
    : null;
  await s.sink.waitFor((all) => all.length - before >= n, 600_000);
  await waitDelivered(s.db, ids);
  const seconds = (performance.now() - started) / 1000;
  const bench = process.cpuUsage(benchCpu);
  const worker = s.workerPids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - workerCpu;
  const stores = s.storePids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - storeCpu;
  await timeline?.stop();
  return {
    rate: n / seconds,
    ...checkMailbox(s.sink, before, ids),
    workerCpu: worker / n,
    benchCpu: (bench.user + bench.system) / 1000 / n,
    storeCpu: stores / n,
  };
}

async function main(): Promise<void> {
  execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, APP_STAGE: 'test' },
  });
  const sink = await startSmtpSink({ parse: false });
  const env: Record<string, string> = {
    ...(await isolatedEnv('bench')),
    SMTP_URL: sink.url,
    SMTP_POOL_SIZE: String(POOL),
    DELIVERY_CONCURRENCY: CONCURRENCY,
    LOG_LEVEL: 'warn',
  };
  print(
    `bench:delivery  N=${N}  rounds=${ROUNDS}  workers=${WORKERS}  concurrency=${CONCURRENCY} each  smtp pool=${POOL} each (baseline ${POOL * WORKERS})`,
  );
  print(
    `  machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
  );
  const db = createDataSource({ url: env.DATABASE_URL as string, poolSize: 4, name: 'bench' });
  await db.initialize();
  const redis = new Redis(env.REDIS_URL as string);
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const nodeArgs = [
    ...nodeFlagsOf('worker'),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ];
  for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(env, nodeArgs));
  const stack: Stack = {
    db,
    redis,
    sink,
    queuePrefix: env.QUEUE_PREFIX as string,
    workerPids: workers.map((w) => w.child.pid ?? 0),
    storePids: ['primary', 'replica', 'redis'].map((name) =>
      Number(readFileSync(`.data/test/run/${name}.pid`, 'utf8').trim()),
    ),
  };

  let lost = 0;
  let duplicated = 0;
  const ratios: number[] = [];
  const direct: number[] = [];
  const full: number[] = [];
  // Both sides once before measuring, so neither round 1 pays for cold code and connections.
  const warmBase = await baseline(sink, await baselineMails(env, db, WARMUP, 'warm-up'));
  const warm = await pipeline(stack, WARMUP, 'warm-up');
  print(
    `  warm-up (not counted): ${WARMUP} messages, nodemailer alone ${warmBase.rate.toFixed(0)} msg/s, platform ${warm.rate.toFixed(0)} msg/s; ${warm.missing} lost, ${warm.duplicated} duplicated`,
  );
  lost += warm.missing;
  duplicated += warm.duplicated;
  for (let round = 1; round <= ROUNDS; round++) {
    const base = await baseline(sink, await baselineMails(env, db, N, String(round)));
    const run = await pipeline(stack, N, String(round));
    direct.push(base.rate);
    full.push(run.rate);
    ratios.push(run.rate / base.rate);
    lost += run.missing;
    duplicated += run.duplicated;
    print(
      `  round ${round}: nodemailer alone ${base.rate.toFixed(0)} msg/s, outbox -> relay -> queue -> worker ${run.rate.toFixed(0)} msg/s, ratio ${(run.rate / base.rate).toFixed(2)}; ${N - run.missing}/${N} received, ${run.missing} lost, ${run.duplicated} duplicated`,
    );
    print(
      `           CPU per message: nodemailer alone ${base.cpu.toFixed(3)} ms (client and SMTP server, one process); platform: worker ${run.workerCpu.toFixed(3)} ms, SMTP server and inserts ${run.benchCpu.toFixed(3)} ms, MariaDB and Redis ${run.storeCpu.toFixed(3)} ms`,
    );
  }
  const ratio = median(ratios);
  print(
    `  median: nodemailer alone ${median(direct).toFixed(0)} msg/s, platform ${median(full).toFixed(0)} msg/s, ratio ${ratio.toFixed(2)} (target >= 0.80)${ratio >= 0.8 ? '' : '  BELOW TARGET'}; ${lost} lost, ${duplicated} duplicated in all rounds`,
  );

  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  if (process.env.BENCH_WORKER_LOG) for (const w of workers) process.stderr.write(w.output());
  redis.disconnect();
  await db.destroy();
  await sink.close();
  await dropIsolatedEnv(env);
  if (lost > 0 || duplicated > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  for (const w of workers) w.kill('SIGKILL');
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
