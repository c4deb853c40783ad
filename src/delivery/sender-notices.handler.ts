import { Injectable } from '@nestjs/common';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { NoticeMailer } from './notice-mailer.js';

/** "Your card is scheduled" with the manage link, mailed when a scheduled send is accepted. */
@Injectable()
export class SenderScheduledHandler implements JobHandler<'notify-sender-scheduled'> {
  readonly job = 'notify-sender-scheduled';

  constructor(
    private readonly lifecycle: RecipientLifecycle,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mailer: NoticeMailer,
  ) {}

  async handle({ greetingId }: JobPayloads['notify-sender-scheduled']): Promise<void> {
    const greeting = await this.lifecycle.scheduledGreeting(greetingId);
    const site = greeting ? this.sites.get(greeting.siteId) : undefined;
    if (!greeting || !site || greeting.status !== 'scheduled' || !greeting.sendAt) return;
    await this.mailer.send(
      site,
      this.composer.senderScheduled(site, { ...greeting, sendAt: greeting.sendAt }),
    );
  }
}

/** "Your card was opened", queued by the first open of a pickup page. */
@Injectable()
export class SenderOpenedHandler implements JobHandler<'notify-sender-opened'> {
  readonly job = 'notify-sender-opened';

  constructor(
    private readonly lifecycle: RecipientLifecycle,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mailer: NoticeMailer,
    private readonly flags: FeatureFlags,
  ) {}

  async handle({ recipientId }: JobPayloads['notify-sender-opened']): Promise<void> {
    const record = await this.lifecycle.record(recipientId);
    const site = record ? this.sites.get(record.siteId) : undefined;
    // Only a recipient who opened a delivered card, of a greeting still standing, is news.
    if (!record || !site || record.status !== 'opened' || record.greetingStatus === 'cancelled') {
      return;
    }
    // Turned off (or shed) since the open was recorded: the notice is dropped, not delayed.
    if (!(await this.flags.isEnabled(site, 'senderOpenNotifications'))) return;
    await this.mailer.send(site, this.composer.senderOpened(site, record));
  }
}
