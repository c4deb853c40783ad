import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../platform/database/database.service.js';
import type { ReportOutcome } from './report-outcomes.js';
import { hourOf } from './report-rollup.js';

/**
 * The site, card and occasion of each fact come from the recipient's greeting, in the same
 * statement; the delay is measured for deliveries only, from the greeting's time (its send time
 * when scheduled, its creation when sent at once).
 */
const RECORD_FACTS = `
  INSERT IGNORE INTO report_facts
    (recipient_id, outcome, site_id, greeting_id, card_slug, occasion_slug, at, scheduled, delay_ms)
  SELECT r.id, ?, g.site_id, g.id, c.slug, o.slug, ?, g.send_at IS NOT NULL,
         IF(? , GREATEST(0, TIMESTAMPDIFF(MICROSECOND, COALESCE(g.send_at, g.created_at), ?) DIV 1000), NULL)
    FROM greeting_recipients r
    JOIN greetings g ON g.id = r.greeting_id
    JOIN cards c ON c.id = g.card_id
    JOIN occasions o ON o.id = c.occasion_id
   WHERE r.id IN (?)`;

const MARK_HOUR = 'INSERT INTO report_changed_hours (hour) VALUES (?)';

/**
 * Report facts: one row per recipient and outcome, written where the outcome happens (in the
 * transaction that records it, when there is one). The primary key makes recording idempotent:
 * a replayed job, a retried request or a second open records nothing more.
 */
@Injectable()
export class ReportFacts {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Records `outcome` for each recipient at `at`; ids already holding that outcome are left as
   * they are. Pass the transaction that makes the outcome true, so fact and state commit together.
   */
  async record(
    outcome: ReportOutcome,
    recipientIds: readonly string[],
    at: Date,
    tx?: EntityManager,
  ): Promise<void> {
    if (recipientIds.length === 0) return;
    const delivered = outcome === 'delivered';
    const write = async (m: EntityManager): Promise<void> => {
      const result = await m.query<{ affectedRows: number }>(RECORD_FACTS, [
        outcome,
        at,
        delivered,
        at,
        recipientIds,
      ]);
      // Committed with the facts, so the roll-up sees the hour changed whenever this commits.
      if (result.affectedRows > 0) await m.query(MARK_HOUR, [hourOf(at)]);
    };
    await (tx ? write(tx) : this.db.writeTransaction(write));
  }
}
