import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RecipientsRepository } from './recipients.repository.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import { type JobRequest, parseJob } from '../platform/queue/jobs.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import { OutboxRepository } from './outbox.repository.js';

const MAX_BACKOFF_MS = 30_000;
/**
 * A round asked for while another ran waits this long after it, so the nudges of a busy
 * moment (every send and every first open nudges) share one round instead of one each. The
 * first nudge after a quiet spell still starts a round at once.
 */
const COALESCE_MS = 10;

/**
 * Moves due outbox rows to BullMQ. Rows due within the look-ahead window go in as delayed jobs,
 * so a scheduled card fires on time from Redis while cards scheduled months ahead stay in
 * MariaDB. One round, in one transaction: lock a batch (SKIP LOCKED), mark its recipients
 * queued, add the jobs (deterministic ids), mark the rows dispatched, commit. If Redis refuses,
 * the transaction rolls back and the rows wait for the next round, with backoff.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private notBefore = 0;
  private sweepTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private stopped = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly recipients: RecipientsRepository,
    private readonly queues: JobQueues,
    private readonly nudges: OutboxNudge,
  ) {}

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.nudges.listen(() => this.trigger());
    this.sweepTimer = setInterval(() => this.trigger(), this.config.delivery.sweepMs);
    this.trigger();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.unsubscribe?.();
    await this.running;
  }

  /** Asks for a round soon; rounds never overlap within one process. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    const { batchSize } = this.config.delivery;
    do {
      this.again = false;
      if (Date.now() < this.notBefore) return;
      let moved: number;
      try {
        moved = await this.relayOnce();
        if (this.failures > 0) this.logger.log('outbox relay recovered');
        this.failures = 0;
      } catch (error) {
        this.backOff(error);
        return;
      }
      if (moved === batchSize) this.again = true;
      else if (this.again) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
    } while (this.again && !this.stopped);
  }

  /** One round; returns how many rows it moved. */
  async relayOnce(now = new Date()): Promise<number> {
    const { batchSize, lookaheadMs } = this.config.delivery;
    const horizon = new Date(now.getTime() + lookaheadMs);
    return this.outbox.inTransaction(async (tx) => {
      const rows = await this.outbox.claimDue(tx, horizon, batchSize);
      if (rows.length === 0) return 0;
      const jobs: { job: JobRequest; options: { dueAt: number } }[] = [];
      const unusable: string[] = [];
      for (const row of rows) {
        const parsed = parseJob(row.topic, row.payload);
        const job = parsed && row.origin ? { ...parsed, origin: row.origin } : parsed;
        if (job) jobs.push({ job, options: { dueAt: row.availableAt.getTime() } });
        else unusable.push(row.id);
      }
      const recipientIds = jobs.flatMap(({ job }) =>
        job.name === 'deliver-greeting' ? [job.payload.recipientId] : [],
      );
      await this.recipients.transition(
        recipientIds,
        { from: 'scheduled', to: 'queued', at: now },
        tx,
      );
      await this.outbox.markUnusable(tx, unusable, now);
      await this.outbox.markDispatched(
        tx,
        rows.filter((r) => !unusable.includes(r.id)).map((r) => r.id),
        now,
      );
      // Last, while the rows are still locked: if Redis refuses, everything above rolls back.
      await this.queues.enqueue(jobs, now.getTime());
      return rows.length;
    });
  }

  private backOff(error: unknown): void {
    this.failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures - 1, 10));
    this.notBefore = Date.now() + delay;
    const message = error instanceof Error ? error.message : String(error);
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.logger.warn(
        `outbox relay round failed (${this.failures}x), next in ${delay} ms: ${message}`,
      );
    }
    const { batchSize, lookaheadMs } = this.config.delivery;
    this.outbox
      .recordFailure(new Date(Date.now() + lookaheadMs), batchSize, message)
      .catch(() => undefined);
    // The sweep would wait for its next tick; come back as soon as the backoff allows.
    setTimeout(() => this.trigger(), delay).unref();
  }
}
