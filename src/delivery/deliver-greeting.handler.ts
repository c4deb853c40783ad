import { Injectable, Logger } from '@nestjs/common';
import { RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import { MailSender } from '../platform/mail/mail-sender.js';
import { MailSendError } from '../platform/mail/outgoing-mail.js';
import type { JobContext, JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/**
 * Sends one greeting email to one recipient, at most once as far as the database can tell:
 * queued -> sending is a conditional update only one worker wins, and every outcome is
 * recorded before the job completes.
 */
@Injectable()
export class DeliverGreetingHandler implements JobHandler<'deliver-greeting'> {
  readonly job = 'deliver-greeting';
  private readonly logger = new Logger('Delivery');

  constructor(
    private readonly lifecycle: RecipientLifecycle,
    private readonly suppressions: SuppressionsRepository,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mail: MailSender,
  ) {}

  async handle({ recipientId }: JobPayloads['deliver-greeting'], ctx: JobContext): Promise<void> {
    const claim = await this.lifecycle.claim(recipientId, (email) =>
      this.suppressions.isSuppressed(email),
    );
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
    await this.lifecycle.delivered(recipientId);
  }
}
