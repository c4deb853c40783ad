import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { RecipientLifecycle } from '../../greetings/recipient-lifecycle.service.js';
import { bounceReports } from '../../platform/observability/worker-metrics.js';
import type { BounceSubject } from '../return-paths.js';
import { emailHash, SuppressionsRepository } from '../suppressions.repository.js';
import type { BounceReport } from './bounce-report.js';
import { BounceReportsRepository } from './bounce-reports.repository.js';

/** What became of one report; also the `outcome` label of `ecard_bounce_reports_total`. */
export type BounceOutcome =
  | 'hard'
  | 'soft'
  /** The soft bounce that reached BOUNCE_SOFT_LIMIT within the window: suppressed. */
  | 'soft-limit'
  | 'complaint'
  /** The same report again: nothing counted twice. */
  | 'duplicate'
  /** The email it names is gone (purged) or has no address left to suppress. */
  | 'unknown';

/** Whose address a report is about, looked up from the ids its VERP address carried. */
interface Addressee {
  siteId: string;
  email: string;
  greetingId: string;
  /** null for a sender notice: the sender has no recipient row. */
  recipientId: string | null;
}

/**
 * The rules for a bounce or complaint, once the listener has read it and verified whose it is:
 * a hard bounce or a complaint suppresses the address and ends the recipient's story; soft
 * bounces are counted, and BOUNCE_SOFT_LIMIT of them within the window suppress the address
 * too. Each report is kept once by its fingerprint, so a replay changes and counts nothing.
 */
@Injectable()
export class BounceRecorder {
  private readonly logger = new Logger('Bounces');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: RecipientLifecycle,
    private readonly suppressions: SuppressionsRepository,
    private readonly reports: BounceReportsRepository,
  ) {}

  async record(
    subject: BounceSubject,
    report: BounceReport,
    now = new Date(),
  ): Promise<BounceOutcome> {
    const who = await this.addressee(subject);
    if (!who) {
      bounceReports.inc({ site: 'unknown', outcome: 'unknown' });
      return 'unknown';
    }
    const ref =
      subject.kind === 'recipient' ? `r:${subject.recipientId}` : `s:${subject.greetingId}`;
    const fresh = await this.reports.add({
      fingerprint: createHash('sha256').update(`${ref}|${report.identity}`).digest('hex'),
      siteId: who.siteId,
      recipientId: who.recipientId,
      greetingId: who.greetingId,
      emailHash: emailHash(who.email),
      kind: report.kind,
      code: report.code,
      receivedAt: now,
    });
    const outcome = fresh ? await this.apply(who, report, now) : 'duplicate';
    bounceReports.inc({ site: who.siteId, outcome });
    // Ids only: the address is personal data and stays out of the logs.
    this.logger.log({
      event: 'bounce-report',
      outcome,
      kind: report.kind,
      code: report.code,
      siteId: who.siteId,
      recipientId: who.recipientId,
      greetingId: who.greetingId,
    });
    return outcome;
  }

  private async apply(who: Addressee, report: BounceReport, now: Date): Promise<BounceOutcome> {
    const detail =
      `${report.kind === 'complaint' ? 'feedback report' : 'DSN'} ${report.code ?? ''}`.trim();
    if (report.kind === 'hard') {
      if (who.recipientId) await this.lifecycle.hardBounced(who.recipientId, detail, now);
      await this.suppressions.add(who.email, 'bounced', who.siteId, now);
      return 'hard';
    }
    if (report.kind === 'complaint') {
      if (who.recipientId) await this.lifecycle.complained(who.recipientId, detail, now);
      await this.suppressions.add(who.email, 'complained', who.siteId, now);
      return 'complaint';
    }
    if (who.recipientId) await this.lifecycle.softBounced(who.recipientId, detail, now);
    const { softLimit, softWindowMs } = this.config.bounces;
    const since = new Date(now.getTime() - softWindowMs);
    const count = await this.reports.softBouncesSince(who.siteId, emailHash(who.email), since);
    if (count < softLimit) return 'soft';
    const why = `${count} soft bounces within ${Math.round(softWindowMs / 3_600_000)} h`;
    if (who.recipientId) await this.lifecycle.hardBounced(who.recipientId, why, now);
    await this.suppressions.add(who.email, 'bounced', who.siteId, now);
    return 'soft-limit';
  }

  private async addressee(subject: BounceSubject): Promise<Addressee | null> {
    if (subject.kind === 'recipient') {
      const r = await this.lifecycle.record(subject.recipientId);
      if (!r?.recipientEmail) return null;
      const { siteId, recipientEmail: email, greetingId, recipientId } = r;
      return { siteId, email, greetingId, recipientId };
    }
    const g = await this.lifecycle.scheduledGreeting(subject.greetingId);
    if (!g?.senderEmail) return null;
    return { siteId: g.siteId, email: g.senderEmail, greetingId: g.greetingId, recipientId: null };
  }
}
