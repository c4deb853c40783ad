import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { newRecipientId } from '../../src/greetings/signed-links.js';
import { outboxNudgeChannel } from '../../src/platform/queue/jobs.js';
import type { SmtpSink } from '../../test/delivery/support/smtp-sink.js';

const CHUNK = 500;

/** What every benchmark greeting says, and where it is sent from. */
export const BENCH_GREETING = {
  siteId: 'ecardia',
  senderName: 'Ann',
  senderEmail: 'ann@example.com',
  message: 'Hi',
  timeZone: 'UTC',
} as const;

/**
 * Writes `n` one-recipient greetings as the send path does (greeting, recipient `scheduled`,
 * outbox row, in one transaction per 500) and nudges the relay after each commit, as the web
 * process does. Returns the recipient ids.
 */
export async function sendGreetings(
  db: DataSource,
  redis: Redis,
  queuePrefix: string,
  n: number,
  label: string,
): Promise<string[]> {
  const [card] = await db.query<{ id: number }[]>('SELECT id FROM cards ORDER BY id LIMIT 1');
  const now = new Date();
  const recipientIds: string[] = [];
  for (let offset = 0; offset < n; offset += CHUNK) {
    const greetings: unknown[][] = [];
    const recipients: unknown[][] = [];
    const outbox: unknown[][] = [];
    for (let i = offset; i < Math.min(n, offset + CHUNK); i++) {
      const greetingId = randomUUID();
      const recipientId = newRecipientId();
      recipientIds.push(recipientId);
      greetings.push([
        greetingId,
        BENCH_GREETING.siteId,
        null,
        '0'.repeat(64),
        card?.id,
        BENCH_GREETING.senderName,
        BENCH_GREETING.senderEmail,
        BENCH_GREETING.message,
        null,
        BENCH_GREETING.timeZone,
        'accepted',
        now,
        now,
      ]);
      recipients.push([
        recipientId,
        greetingId,
        0,
        `Friend ${i}`,
        `bench-${label}-${i}@example.com`,
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
    await redis.publish(outboxNudgeChannel(queuePrefix), '1');
  }
  return recipientIds;
}

/** Waits until every one of `recipientIds` is `delivered` in the database. */
export async function waitDelivered(db: DataSource, recipientIds: string[]): Promise<void> {
  for (;;) {
    const [row] = await db.query<{ n: string }[]>(
      "SELECT COUNT(*) AS n FROM greeting_recipients WHERE status = 'delivered' AND id IN (?)",
      [recipientIds],
    );
    if (Number(row?.n) >= recipientIds.length) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many of `recipientIds` reached the sink not at all, and how many more than once. */
export function checkMailbox(
  sink: SmtpSink,
  from: number,
  recipientIds: string[],
): { missing: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const mail of sink.received.slice(from)) {
    const id = /^<([A-Za-z0-9_-]{22})\.greeting@/.exec(mail.messageId)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return {
    missing: recipientIds.filter((id) => !counts.has(id)).length,
    duplicated: [...counts.values()].filter((c) => c > 1).length,
  };
}

/**
 * BENCH_TIMELINE=1: every 200 ms, how many recipients are in each state and how many emails
 * arrived, to see which stage holds the rest back. Costs a query per sample, so off by default.
 */
export function sampleTimeline(
  db: DataSource,
  sink: SmtpSink,
  started: number,
  from: number,
): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await db.query<{ status: string; n: string }[]>(
        'SELECT status, COUNT(*) AS n FROM greeting_recipients GROUP BY status',
      );
      const states = rows.map((r) => `${r.status}=${r.n}`).join(' ');
      const ms = (performance.now() - started).toFixed(0).padStart(6);
      process.stdout.write(`    ${ms} ms  ${states}  received=${sink.received.length - from}\n`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks
 * are 10 ms there). Per-message CPU is much less disturbed by other load than wall time.
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
