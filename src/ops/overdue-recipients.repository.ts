import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { OverdueRecipients } from './late-greetings.js';

/** Older than this, a greeting still pending is a case for requeue-failed, not a live alert. */
const LOOKBACK_MS = 24 * 3_600_000;

/**
 * Scheduled greetings whose recipients are still on their way past the due time, per site.
 * Read from the primary: a lagging replica would show delivered recipients as still late.
 * The (status, send_at) index bounds it to the last day's due greetings.
 */
@Injectable()
export class OverdueRecipientsRepository {
  constructor(private readonly db: DatabaseService) {}

  async overdue(dueBefore: Date, now: Date): Promise<OverdueRecipients[]> {
    const rows = await this.db
      .writer()
      .query<{ siteId: string; recipients: number | string; oldestDueAt: Date }[]>(
        `SELECT g.site_id AS siteId, COUNT(*) AS recipients, MIN(g.send_at) AS oldestDueAt
       FROM greetings g JOIN greeting_recipients r ON r.greeting_id = g.id
       WHERE g.status = 'scheduled' AND g.send_at >= ? AND g.send_at < ?
         AND r.status IN ('scheduled', 'queued', 'sending')
       GROUP BY g.site_id`,
        [new Date(now.getTime() - LOOKBACK_MS), dueBefore],
      );
    return rows.map((r) => ({
      siteId: r.siteId,
      recipients: Number(r.recipients),
      oldestDueAt: new Date(r.oldestDueAt).getTime(),
    }));
  }
}
