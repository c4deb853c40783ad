import { Injectable } from '@nestjs/common';
import { deliveryOutcomes } from '../platform/observability/delivery-outcomes.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import {
  type DeliveryRecord,
  GreetingsRepository,
  type ScheduledGreeting,
} from './greetings.repository.js';
import { RecipientsRepository } from './recipients.repository.js';

/** What a delivery reads of a recipient and its greeting: part of this service's answers. */
export type { DeliveryRecord };

/** What a worker may do with a recipient it was handed. */
export type Claim =
  /** It is ours to send now (queued -> sending won). */
  | { outcome: 'claimed'; record: DeliveryRecord }
  /**
   * A worker died between claiming and recording the result: send again, with the same
   * Message-ID. SMTP is at-least-once at that boundary; the identical id lets mail systems
   * (and our test sink) recognise the duplicate.
   */
  | { outcome: 'resumed'; record: DeliveryRecord }
  /** Nothing to do: already done, cancelled, suppressed, or claimed by another worker. */
  | { outcome: 'skip'; status: string }
  /** The greeting was moved later after this job was queued. */
  | { outcome: 'not-due'; dueAt: Date };

/** A job that fires within this much of its due time is on time (clock skew between hosts). */
const DUE_TOLERANCE_MS = 1000;

/** Statuses a delivery job may still act on; the record is read only for these. */
const CLAIMABLE: ReadonlySet<string | undefined> = new Set(['scheduled', 'queued', 'sending']);

function isDue(record: DeliveryRecord, now: Date): boolean {
  return !record.sendAt || record.sendAt.getTime() <= now.getTime() + DUE_TOLERANCE_MS;
}

/**
 * The recipient's lifecycle as the delivery worker drives it. The database row decides; jobs
 * only carry ids, so a replayed or duplicated job can never produce a second email by itself.
 */
@Injectable()
export class RecipientLifecycle {
  constructor(
    private readonly greetings: GreetingsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly queues: JobQueues,
    private readonly nudge: OutboxNudge,
  ) {}

  record(recipientId: string): Promise<DeliveryRecord | null> {
    return this.greetings.findForDelivery(recipientId);
  }

  scheduledGreeting(greetingId: string): Promise<ScheduledGreeting | null> {
    return this.greetings.findScheduledNotice(greetingId);
  }

  /**
   * One transaction for a batch of delivery jobs: records the emails the SMTP server accepted
   * (`sending -> delivered`), then decides each claim from the recipient's row (catch-up
   * `scheduled -> queued`, `queued -> suppressed` for an address on the list, `queued ->
   * sending` to send now). Every move is one UPDATE per kind plus one multi-row history
   * INSERT. Returns one claim per id of `claimIds`, in order; an id given twice is claimed
   * once (the second copy is skipped as `sending`).
   *
   * Deliveries go first: a claim for a recipient recorded in the same batch then finds it
   * `delivered` and skips, instead of resuming a send that already happened.
   */
  async recordAndClaim(
    deliveredIds: string[],
    claimIds: string[],
    /** For each address, in order, whether its site has it on the suppression list. */
    suppressedAmong: (addresses: { siteId: string; email: string }[]) => Promise<boolean[]>,
    now = new Date(),
  ): Promise<Claim[]> {
    const { claims, delivered } = await this.recipients.inTransaction(async (tx) => {
      const status = await this.recipients.lockStatuses(
        [...new Set([...deliveredIds, ...claimIds])],
        tx,
      );
      const delivered = [...new Set(deliveredIds)].filter((id) => status.get(id) === 'sending');
      for (const id of delivered) status.set(id, 'delivered');
      const wanted = [...new Set(claimIds)].filter((id) => CLAIMABLE.has(status.get(id)));
      const records = new Map(
        (await this.recipients.deliveryRecords(wanted, tx)).map((r) => [
          r.recipientId,
          // The status as locked, not as the (possibly older) snapshot of the plain read saw it.
          { ...r, status: status.get(r.recipientId) ?? r.status },
        ]),
      );
      // Remembered for the delivered/bounced counters and the lateness histogram, which are
      // recorded with only an id.
      for (const r of records.values()) deliveryOutcomes.claimed(r.recipientId, r.siteId, r.sendAt);
      const candidates = [...records.values()].filter(
        (r) => (r.status === 'queued' || r.status === 'scheduled') && isDue(r, now),
      );
      const suppressed =
        candidates.length > 0
          ? await suppressedAmong(
              candidates.map((r) => ({ siteId: r.siteId, email: r.recipientEmail })),
            )
          : [];
      const toSuppress = candidates.filter((_, i) => suppressed[i] === true);
      const won = candidates.filter((_, i) => suppressed[i] !== true);
      const idsOf = (rs: DeliveryRecord[]) => rs.map((r) => r.recipientId);
      await this.recipients.transitionLocked(
        [
          {
            ids: delivered,
            change: {
              from: 'sending',
              to: 'delivered',
              at: now,
              deliveredAt: now,
              lastError: null,
            },
          },
          // The job reached Redis but the relay's transaction did not commit: catch up.
          {
            ids: idsOf(candidates.filter((r) => r.status === 'scheduled')),
            change: { from: 'scheduled', to: 'queued', at: now },
          },
          {
            ids: idsOf(toSuppress),
            change: {
              from: 'queued',
              to: 'suppressed',
              at: now,
              detail: 'address is on the suppression list',
            },
          },
          {
            ids: idsOf(won),
            change: { from: 'queued', to: 'sending', at: now, countAttempt: true },
          },
        ],
        tx,
      );
      const wonIds = new Set(idsOf(won));
      const suppressedIds = new Set(idsOf(toSuppress));
      const handed = new Set<string>();
      const claims = claimIds.map((id): Claim => {
        const current = status.get(id);
        if (current === undefined) return { outcome: 'skip', status: 'missing' };
        if (handed.has(id)) return { outcome: 'skip', status: 'sending' };
        handed.add(id);
        const record = records.get(id);
        if (!record) return { outcome: 'skip', status: current };
        if (!isDue(record, now) && (record.status === 'scheduled' || record.status === 'queued')) {
          return { outcome: 'not-due', dueAt: record.sendAt as Date };
        }
        if (suppressedIds.has(id)) return { outcome: 'skip', status: 'suppressed' };
        if (wonIds.has(id)) return { outcome: 'claimed', record: { ...record, status: 'sending' } };
        if (record.status === 'sending') return { outcome: 'resumed', record };
        return { outcome: 'skip', status: record.status };
      });
      return { claims, delivered };
    });
    for (const id of delivered) deliveryOutcomes.settled(id, 'delivered', now.getTime());
    return claims;
  }

  async willRetry(recipientId: string, error: string, now = new Date()): Promise<void> {
    await this.recipients.transition([recipientId], {
      from: 'sending',
      to: 'queued',
      at: now,
      lastError: error,
      detail: error,
    });
  }

  async failed(recipientId: string, error: string, now = new Date()): Promise<void> {
    await this.recipients.transition([recipientId], {
      from: 'sending',
      to: 'failed',
      at: now,
      lastError: error,
      detail: error,
    });
  }

  async bounced(recipientId: string, error: string, now = new Date()): Promise<void> {
    await this.recipients.transition([recipientId], {
      from: 'sending',
      to: 'bounced',
      at: now,
      lastError: error,
      detail: error,
    });
    deliveryOutcomes.settled(recipientId, 'bounced');
  }

  /**
   * A hard-bounce report (DSN) for an email the receiving server had accepted, or, when the
   * report beat our own record of that acceptance, one still `sending`. False when the
   * recipient is past that (already bounced, a replayed report).
   */
  async hardBounced(recipientId: string, detail: string, now = new Date()): Promise<boolean> {
    for (const from of ['delivered', 'sending'] as const) {
      const change = { from, to: 'bounced' as const, at: now, lastError: detail, detail };
      if ((await this.recipients.transition([recipientId], change)).length > 0) return true;
    }
    return false;
  }

  /** A delay or temporary-failure report: on record in the history, the status unchanged. */
  async softBounced(recipientId: string, detail: string, now = new Date()): Promise<boolean> {
    const change = { from: 'delivered' as const, to: 'delivered' as const, at: now, detail };
    return (await this.recipients.transition([recipientId], change)).length > 0;
  }

  /** The recipient used their email's unsubscribe link; false when it was on record already. */
  unsubscribed(recipientId: string, now = new Date()): Promise<boolean> {
    return this.recipients.recordUnsubscribe(recipientId, now);
  }

  /** The reader reported the email as spam (a feedback loop), opened or not. */
  async complained(recipientId: string, detail: string, now = new Date()): Promise<boolean> {
    for (const from of ['delivered', 'opened'] as const) {
      const change = { from, to: 'complained' as const, at: now, detail };
      if ((await this.recipients.transition([recipientId], change)).length > 0) return true;
    }
    return false;
  }

  /**
   * Puts failed recipients back on the way to delivery: failed -> scheduled, their outbox rows
   * due now, and the failed BullMQ job removed so the relay can add it under the same id.
   */
  async requeueFailed(limit = 10_000, now = new Date()): Promise<number> {
    const ids = await this.recipients.failedRecipients(limit);
    if (ids.length === 0) return 0;
    const jobs = ids.map((recipientId) => ({
      name: 'deliver-greeting' as const,
      payload: { recipientId },
    }));
    for (const job of jobs) await this.queues.remove(job);
    const moved = await this.recipients.inTransaction(async (tx) => {
      const done = await this.recipients.transition(
        ids,
        { from: 'failed', to: 'scheduled', at: now, detail: 'requeued by operator' },
        tx,
      );
      await this.recipients.redispatch(
        jobs.filter((j) => done.includes(j.payload.recipientId)),
        now,
        tx,
      );
      return done;
    });
    this.nudge.nudge();
    return moved.length;
  }

  /** Claims unopened recipients for their one reminder (outbox rows, sent by the relay). */
  async claimReminders(deliveredBefore: Date, limit: number, now = new Date()): Promise<number> {
    const ids = await this.recipients.claimReminders(deliveredBefore, limit, now);
    if (ids.length > 0) this.nudge.nudge();
    return ids.length;
  }
}
