import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type Claim, RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import { MailSender } from '../platform/mail/mail-sender.js';
import { MailSendError } from '../platform/mail/outgoing-mail.js';
import type { JobContext, JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { isLockConflict, MicroBatch } from './micro-batch.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/** Upper bound of recipients per claim or record transaction. */
const MAX_BATCH = 200;
/** How long a claim or record batch waits to fill (see MicroBatch). */
const BATCH_LINGER_MS = 20;

/**
 * Sends one greeting email to one recipient, at most once as far as the database can tell:
 * queued -> sending is a conditional update only one worker wins, and every outcome is
 * recorded before the job completes. The claim and the "delivered" record of jobs running at
 * the same time are written together (see MicroBatch): one transaction per batch, not two per
 * recipient.
 */
@Injectable()
export class DeliverGreetingHandler implements JobHandler<'deliver-greeting'> {
  readonly job = 'deliver-greeting';
  private readonly logger = new Logger('Delivery');
  private readonly claims: MicroBatch<string, Claim>;
  private readonly deliveries: MicroBatch<string, undefined>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly lifecycle: RecipientLifecycle,
    private readonly suppressions: SuppressionsRepository,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mail: MailSender,
  ) {
    const batching = {
      maxSize: Math.min(MAX_BATCH, config.delivery.concurrency),
      lingerMs: BATCH_LINGER_MS,
      retryable: isLockConflict,
    };
    this.claims = new MicroBatch(
      (ids) => this.lifecycle.claimMany(ids, (emails) => this.suppressions.suppressedAmong(emails)),
      batching,
    );
    // Above all this write must not be lost to a deadlock: a job that failed here would be
    // retried, find `sending`, and send the email a second time.
    this.deliveries = new MicroBatch(async (ids) => {
      await this.lifecycle.deliveredMany(ids);
      return ids.map(() => undefined);
    }, batching);
  }

  async handle({ recipientId }: JobPayloads['deliver-greeting'], ctx: JobContext): Promise<void> {
    const claim = await this.claims.submit(recipientId);
    if (claim.outcome === 'skip') return;
    if (claim.outcome === 'not-due') return ctx.postpone(claim.dueAt);
    const { record } = claim;
    const site = this.sites.get(record.siteId);
    if (!site) {
      await this.lifecycle.failed(recipientId, `site ${record.siteId} is not configured`);
      return;
    }
    try {
      await this.mail.send(this.composer.greeting(site, record));
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
    // The one window for a duplicate: the server accepted the message and this update did not
    // happen (the process died). The job then stalls, runs again, finds `sending`, and resends
    // with the same Message-ID.
    await this.deliveries.submit(recipientId);
  }
}
