import { Injectable, Logger } from '@nestjs/common';
import { JobQueues } from '../../platform/queue/job-queues.js';
import { QUEUES } from '../../platform/queue/jobs.js';
import { SiteRegistry } from '../../sites/site-registry.js';
import { RemindersRepository } from './reminders.repository.js';

/** Local time each bucket's daily scan runs: reminders arrive with the morning's mail. */
export const REMINDER_SCAN_PATTERN = '0 8 * * *';

/** The scheduler id of one site and zone's daily scan. */
export function schedulerIdOf(siteId: string, timeZone: string): string {
  return `member-reminders-${siteId}-${timeZone.replace(/\//g, '_')}`;
}

/**
 * One BullMQ job scheduler per site and time zone in use, firing at 08:00 in that zone: one
 * repeatable job per bucket, not a delayed job per reminder per year. Upserting is idempotent
 * (BullMQ keeps a scheduler by id), so the web process adds a bucket when a member first needs
 * it and every worker re-asserts them all at start.
 */
@Injectable()
export class ReminderSchedules {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly queues: JobQueues,
    private readonly reminders: RemindersRepository,
    private readonly sites: SiteRegistry,
  ) {}

  async ensure(siteId: string, timeZone: string): Promise<void> {
    await this.queues.use(QUEUES.notifications, (q) =>
      q.upsertJobScheduler(
        schedulerIdOf(siteId, timeZone),
        { pattern: REMINDER_SCAN_PATTERN, tz: timeZone },
        { name: 'scan-member-reminders', data: { siteId, timeZone }, opts: { attempts: 3 } },
      ),
    );
  }

  /** Best effort from a page: the worker's start (and its next one) asserts it again. */
  async ensureQuietly(siteId: string, timeZone: string): Promise<void> {
    try {
      await this.ensure(siteId, timeZone);
    } catch (error) {
      this.logger.warn(`reminder schedule not added yet: ${(error as Error).message}`);
    }
  }

  /**
   * Every bucket with a reminder in it (a site without any costs no schedule: the first
   * reminder added there makes one).
   */
  async ensureAll(): Promise<void> {
    const buckets = new Set<string>();
    for (const { siteId, timeZone } of await this.reminders.zonesInUse()) {
      const site = this.sites.get(siteId);
      if (site) buckets.add(`${site.id} ${timeZone ?? site.timeZone}`);
    }
    for (const bucket of buckets) {
      const [siteId = '', timeZone = ''] = bucket.split(' ');
      await this.ensure(siteId, timeZone);
    }
  }
}
