import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { isStoreUnavailable } from '../common/store-errors.js';
import { type Claim, RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import { MailSender } from '../platform/mail/mail-sender.js';
import { MailSendError } from '../platform/mail/outgoing-mail.js';
import type { JobContext, JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { DkimKeyring } from '../sites/dkim-keyring.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { MicroBatch } from './micro-batch.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/** Upper bound of claims and records per transaction. */
const MAX_BATCH = 200;
/** How long a batch waits to fill (see MicroBatch). */
const BATCH_LINGER_MS = 20;
/**
 * How long a worker holds on to an accepted email's outcome while the primary is away. Past
 * it the job fails and its retry sends again (same Message-ID), as after a crash.
 */
const RECORD_PATIENCE_MS = 10 * 60_000;
const RECORD_RETRY_MAX_MS = 2000;

/** What a job asks of the ledger: to be claimed, or to have its email recorded as delivered. */
interface LedgerEntry {
  kind: 'claim' | 'delivered';
  recipientId: string;
}

/**
 * Sends one greeting email to one recipient, at most once as far as the database can tell:
 * queued -> sending is a conditional update only one worker wins, and every outcome is
 * recorded before the job completes. The claims and "delivered" records of the jobs running
 * at the same time are written together (see MicroBatch): one transaction per batch, not two
 * per recipient.
 */
@Injectable()
export class DeliverGreetingHandler implements JobHandler<'deliver-greeting'> {
  readonly job = 'deliver-greeting';
  private readonly logger = new Logger('Delivery');
  private readonly ledger: MicroBatch<LedgerEntry, Claim | null>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly lifecycle: RecipientLifecycle,
    private readonly suppressions: SuppressionsRepository,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mail: MailSender,
    private readonly keyring: DkimKeyring,
  ) {
    // Above all a "delivered" record must not be lost to a deadlock: a job that failed there
    // would be retried, find `sending`, and send the email a second time. Lock conflicts are
    // written again.
    this.ledger = new MicroBatch((entries) => this.write(entries), {
      // Each job has at most one entry waiting, so a batch can never hold more than this.
      maxSize: Math.min(MAX_BATCH, config.delivery.concurrency),
      lingerMs: BATCH_LINGER_MS,
    });
  }

  private async write(entries: LedgerEntry[]): Promise<(Claim | null)[]> {
    const idsOf = (kind: LedgerEntry['kind']) =>
      entries.filter((e) => e.kind === kind).map((e) => e.recipientId);
    const claims = await this.lifecycle.recordAndClaim(
      idsOf('delivered'),
      idsOf('claim'),
      (addresses) => this.suppressions.suppressedAmong(addresses),
    );
    let next = 0;
    return entries.map((e) => (e.kind === 'claim' ? (claims[next++] ?? null) : null));
  }

  private async claim(recipientId: string): Promise<Claim> {
    const claim = await this.ledger.submit({ kind: 'claim', recipientId });
    return claim ?? { outcome: 'skip', status: 'missing' };
  }

  async handle({ recipientId }: JobPayloads['deliver-greeting'], ctx: JobContext): Promise<void> {
    const claim = await this.claim(recipientId);
    this.logger.debug({
      event: 'claim',
      recipientId,
      outcome: claim.outcome,
      attempt: ctx.attempt,
    });
    if (claim.outcome === 'skip') return;
    if (claim.outcome === 'not-due') return ctx.postpone(claim.dueAt);
    const { record } = claim;
    const site = this.sites.get(record.siteId);
    if (!site) {
      await this.lifecycle.failed(recipientId, `site ${record.siteId} is not configured`);
      return;
    }
    try {
      const email = this.composer.greeting(site, record);
      const reply = await this.mail.send({ ...email, dkim: this.keyring.signingFor(site) });
      this.logger.log({ event: 'smtp-reply', recipientId, ...reply });
    } catch (error) {
      if (!(error instanceof MailSendError)) throw error;
      if (error.kind === 'permanent') {
        await this.lifecycle.bounced(recipientId, error.message);
        await this.suppressions.add(record.recipientEmail, 'bounced', site.id);
        return;
      }
      if (ctx.finalAttempt) {
        await this.lifecycle.failed(recipientId, error.message);
        this.logger.warn(`recipient ${recipientId} failed after ${ctx.attempt} attempts`);
      } else {
        await this.lifecycle.willRetry(recipientId, error.message);
      }
      throw error;
    }
    await this.recordDelivered(recipientId);
  }

  /**
   * The email is out: from here a failed job would be run again, find `sending`, and mail the
   * recipient a second time. So an unreachable primary is waited for, not given up on; the
   * job's lock is renewed meanwhile, so no other worker takes it. What is left is the process
   * dying in this window (SIGKILL, a lost host): the job stalls and is resent with the same
   * Message-ID.
   */
  private async recordDelivered(recipientId: string): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ledger.submit({ kind: 'delivered', recipientId });
        if (attempt > 1) this.logger.log(`recipient ${recipientId} recorded, try ${attempt}`);
        else this.logger.debug({ event: 'recorded', recipientId });
        return;
      } catch (error) {
        if (!isStoreUnavailable(error) || Date.now() - started > RECORD_PATIENCE_MS) throw error;
        if (attempt === 1) {
          this.logger.warn(`recipient ${recipientId} sent; recording it waits for the primary`);
        }
        const waitMs = Math.min(RECORD_RETRY_MAX_MS, 100 * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }
}
