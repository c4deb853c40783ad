import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { ReportFacts } from '../reports/report-facts.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { NoticeMailer } from './notice-mailer.js';

const SCAN_BATCH = 500;

/**
 * Periodic scan for delivered, unopened cards older than REMINDER_AFTER_DAYS. Claiming sets
 * `reminded_at` and writes the reminder's outbox row in one transaction, so a recipient is
 * reminded once, whichever worker runs the scan and however often.
 */
@Injectable()
export class ReminderScanHandler implements JobHandler<'scan-reminders'> {
  readonly job = 'scan-reminders';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: RecipientLifecycle,
  ) {}

  async handle(): Promise<void> {
    const now = new Date();
    const before = new Date(now.getTime() - this.config.delivery.reminderAfterMs);
    while ((await this.lifecycle.claimReminders(before, SCAN_BATCH, now)) === SCAN_BATCH) {
      // A full batch means more may be waiting; keep going in this run.
    }
  }
}

/** The one reminder, skipped if the card was opened meanwhile. */
@Injectable()
export class SendReminderHandler implements JobHandler<'send-reminder'> {
  readonly job = 'send-reminder';

  constructor(
    private readonly lifecycle: RecipientLifecycle,
    private readonly sites: SiteRegistry,
    private readonly composer: EmailComposer,
    private readonly mailer: NoticeMailer,
    private readonly facts: ReportFacts,
  ) {}

  async handle({ recipientId }: JobPayloads['send-reminder']): Promise<void> {
    const record = await this.lifecycle.record(recipientId);
    const site = record ? this.sites.get(record.siteId) : undefined;
    if (!record || !site || record.status !== 'delivered' || record.openedAt) return;
    await this.mailer.send(site, this.composer.reminder(site, record));
    await this.facts.record('reminded', [recipientId], new Date());
  }
}
