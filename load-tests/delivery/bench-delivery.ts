/**
 * bench:delivery — N greetings through outbox -> relay -> BullMQ -> worker process -> SMTP,
 * against nodemailer alone sending N messages to the same loopback SMTP server in the same run.
 * Prints both rates and their ratio, and checks that every recipient got exactly one message.
 *
 *   npm run bench:delivery                  # 2000 recipients
 *   BENCH_N=5000 BENCH_WORKERS=2 npm run bench:delivery
 *
 * Needs the test-profile services (started here if they are not running).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { Redis } from 'ioredis';
import { createTransport } from 'nodemailer';
import { newRecipientId } from '../../src/greetings/signed-links.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { outboxNudgeChannel } from '../../src/platform/queue/jobs.js';
import { dropIsolatedEnv, isolatedEnv } from '../../test/delivery/support/isolated-env.js';
import { startSmtpSink, type SmtpSink } from '../../test/delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../../test/delivery/support/worker-process.js';

const N = Number(process.env.BENCH_N ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const POOL = Number(process.env.SMTP_POOL_SIZE ?? 5);
const CONCURRENCY = process.env.DELIVERY_CONCURRENCY ?? '20';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function baseline(sink: SmtpSink): Promise<number> {
  const transport = createTransport({
    url: sink.url,
    pool: true,
    maxConnections: POOL,
    maxMessages: 1000,
  });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      transport.sendMail({
        from: { name: 'Ecardia', address: 'cards@ecardia.example' },
        to: { name: `Friend ${i}`, address: `baseline-${i}@example.com` },
        subject: 'Ann sent you an ecard',
        text: `Hello Friend ${i},\n\nAnn sent you an ecard.\nhttp://www.ecardia.example/p/${'x'.repeat(44)}\n`,
        html: `<p>Hello Friend ${i},</p><p>Ann sent you an ecard.</p>`,
        messageId: `<baseline-${i}@ecardia.example>`,
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return N / seconds;
}

async function pipeline(sink: SmtpSink, env: Record<string, string>): Promise<number> {
  const db = createDataSource({ url: env.DATABASE_URL as string, poolSize: 4, name: 'bench' });
  await db.initialize();
  const [card] = await db.query<{ id: number }[]>('SELECT id FROM cards ORDER BY id LIMIT 1');
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(env));
  const redis = new Redis(env.REDIS_URL as string);
  const before = sink.received.length;

  const started = performance.now();
  const now = new Date();
  const recipientIds: string[] = [];
  for (let offset = 0; offset < N; offset += 500) {
    const greetings: unknown[][] = [];
    const recipients: unknown[][] = [];
    const outbox: unknown[][] = [];
    for (let i = offset; i < Math.min(N, offset + 500); i++) {
      const greetingId = randomUUID();
      const recipientId = newRecipientId();
      recipientIds.push(recipientId);
      greetings.push([
        greetingId,
        'ecardia',
        null,
        '0'.repeat(64),
        card?.id,
        'Ann',
        'ann@example.com',
        'Hi',
        null,
        'UTC',
        'accepted',
        now,
        now,
      ]);
      recipients.push([
        recipientId,
        greetingId,
        0,
        `Friend ${i}`,
        `bench-${i}@example.com`,
        'scheduled',
        0,
        now,
        now,
      ]);
      outbox.push([
        'deliver-greeting',
        `deliver:${recipientId}`,
        JSON.stringify({ recipientId }),
        now,
        now,
      ]);
    }
    await db.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO greetings (id, site_id, idempotency_key, request_hash, card_id, sender_name, sender_email, message, send_at, time_zone, status, created_at, updated_at) VALUES ?',
        [greetings],
      );
      await tx.query(
        'INSERT INTO greeting_recipients (id, greeting_id, position, name, email, status, attempts, status_changed_at, created_at) VALUES ?',
        [recipients],
      );
      await tx.query(
        'INSERT INTO outbox (topic, message_key, payload, available_at, created_at) VALUES ?',
        [outbox],
      );
    });
    await redis.publish(outboxNudgeChannel(env.QUEUE_PREFIX as string), '1');
  }
  await sink.waitFor((all) => all.length - before >= N, 600_000);
  for (;;) {
    const [row] = await db.query<{ n: string }[]>(
      "SELECT COUNT(*) AS n FROM greeting_recipients WHERE status = 'delivered'",
    );
    if (Number(row?.n) >= N) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;

  const counts = new Map<string, number>();
  for (const mail of sink.received.slice(before)) {
    const id = /^<([A-Za-z0-9_-]{22})\.greeting@/.exec(mail.messageId)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const missing = recipientIds.filter((id) => !counts.has(id)).length;
  const duplicated = [...counts.values()].filter((n) => n > 1).length;
  print(
    `  check: ${N - missing}/${N} recipients received, ${missing} lost, ${duplicated} duplicated`,
  );
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  redis.disconnect();
  await db.destroy();
  if (missing > 0 || duplicated > 0) process.exitCode = 1;
  return N / seconds;
}

async function main(): Promise<void> {
  execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, APP_STAGE: 'test' },
  });
  const sink = await startSmtpSink({ parse: false });
  const env = {
    ...(await isolatedEnv('bench')),
    SMTP_URL: sink.url,
    SMTP_POOL_SIZE: String(POOL),
    DELIVERY_CONCURRENCY: CONCURRENCY,
    LOG_LEVEL: 'warn',
  };
  print(
    `bench:delivery  N=${N}  workers=${WORKERS}  concurrency=${CONCURRENCY}  smtp pool=${POOL}`,
  );
  print(
    `  machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
  );
  const direct = await baseline(sink);
  print(`  nodemailer alone:                      ${direct.toFixed(0)} msg/s`);
  const full = await pipeline(sink, env);
  print(`  outbox -> relay -> queue -> worker:    ${full.toFixed(0)} msg/s`);
  const ratio = full / direct;
  print(`  ratio: ${ratio.toFixed(2)} (target >= 0.80)${ratio >= 0.8 ? '' : '  BELOW TARGET'}`);
  await sink.close();
  await dropIsolatedEnv(env);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
