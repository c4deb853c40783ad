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
   * Decides from the recipient's row whether this worker sends now. A suppressed address is
   * moved to `suppressed` instead and never mailed.
   */
  async claim(
    recipientId: string,
    isSuppressed: (email: string) => Promise<boolean>,
    now = new Date(),
  ): Promise<Claim> {
    const record = await this.greetings.findForDelivery(recipientId);
    if (!record) return { outcome: 'skip', status: 'missing' };
    deliveryOutcomes.claimed(recipientId, record.siteId);
    if (record.sendAt && record.sendAt.getTime() > now.getTime() + DUE_TOLERANCE_MS) {
      if (record.status === 'scheduled' || record.status === 'queued') {
        return { outcome: 'not-due', dueAt: record.sendAt };
      }
    }
    if (record.status === 'sending') return { outcome: 'resumed', record };
    if (record.status === 'scheduled') {
      // The job reached Redis but the relay's transaction did not commit: catch up.
      await this.recipients.transition([recipientId], { from: 'scheduled', to: 'queued', at: now });
    } else if (record.status !== 'queued') {
      return { outcome: 'skip', status: record.status };
    }
    if (await isSuppressed(record.recipientEmail)) {
      await this.recipients.transition([recipientId], {
        from: 'queued',
        to: 'suppressed',
        at: now,
        detail: 'address is on the suppression list',
      });
      return { outcome: 'skip', status: 'suppressed' };
    }
    const won = await this.recipients.transition([recipientId], {
      from: 'queued',
      to: 'sending',
      at: now,
      countAttempt: true,
    });
    if (won.length === 0) {
      const status = (await this.recipients.statusOf(recipientId)) ?? 'missing';
      return { outcome: 'skip', status };
    }
    return { outcome: 'claimed', record: { ...record, status: 'sending' } };
  }

  async delivered(recipientId: string, now = new Date()): Promise<void> {
    await this.recipients.transition([recipientId], {
      from: 'sending',
      to: 'delivered',
      at: now,
      deliveredAt: now,
      lastError: null,
    });
    deliveryOutcomes.settled(recipientId, 'delivered');
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
