import type { Connection } from 'mysql2/promise';
import { UNSUBSCRIBE_EVENT } from '../../src/greetings/recipient-state.js';
import { SLO } from '../../src/reports/report-model.js';
import { bucketOf, DELAY_BOUNDS_MS, OVER_LAST_BOUND } from '../../src/reports/report-outcomes.js';
import {
  boundValue,
  COUNTED_TOTALS,
  delayBucketName,
  type Figures,
  ON_TIME,
  PERCENTILES,
} from './figures.js';

/** A report's range as instants: its first day's midnight to the midnight after its last (UTC). */
export interface Window {
  from: Date;
  to: Date;
}

export function windowOf(range: { from: string; to: string }): Window {
  return {
    from: new Date(`${range.from}T00:00:00Z`),
    to: new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000),
  };
}

/** The site's recipients, joined to their greeting: every count below starts here. */
const OF_SITE = `FROM greeting_recipients r JOIN greetings g ON g.id = r.greeting_id WHERE g.site_id = ?`;

/**
 * The states no event leads out of: a recipient in one of them got there once, at
 * `status_changed_at`, so the row itself says when.
 */
const FINAL_STATUS_COUNTS = [
  ['bounced (hard)', 'bounced'],
  ['complaints', 'complained'],
  ['cancelled', 'cancelled'],
  ['suppressed', 'suppressed'],
] as const;

/** Outcomes a recipient can draw more than once or leave again: counted at its first event. */
const FIRST_EVENT_COUNTS = [
  ['bounced (soft)', 'soft-bounce'],
  ['failed', 'give-up'],
  ['unsubscribed', UNSUBSCRIBE_EVENT],
] as const;

async function count(db: Connection, sql: string, params: unknown[]): Promise<number> {
  const [rows] = await db.query(sql, params);
  return Number((rows as { n: number | string | null }[])[0]?.n ?? 0);
}

export interface DatabaseFigures {
  figures: Figures;
  /** How a figure was reached where the value alone does not say (exact delays). */
  notes: Map<string, string>;
}

/**
 * The same figures as the report, straight from the rows the platform keeps about each send,
 * never from `report_facts` or the aggregates:
 *
 * - sends / recipients: `greetings` created in the range, and their `greeting_recipients`;
 * - delivered / opened: recipients whose `delivered_at` / `opened_at` falls in the range;
 * - bounced (hard), complaints, cancelled, suppressed: recipients in that final status, changed
 *   to it in the range;
 * - bounced (soft), failed, unsubscribed: recipients whose first `soft-bounce` / `give-up` /
 *   `unsubscribe` event in `greeting_recipient_events` falls in the range (a card counts once
 *   however many it draws; `suppressions` cannot say, holding one row per address and site,
 *   with the first reason only);
 * - delay: `delivered_at` minus the greeting's `send_at` (its `created_at` when sent at once),
 *   in whole ms, never below 0, for each delivered recipient. The report keeps delays as counts
 *   per bucket (DELAY_BOUNDS_MS) and gives a percentile as the upper bound of the bucket that
 *   holds it; here the exact nearest-rank percentile (the ceil(q x n)-th smallest delay) is
 *   taken from the raw delays and then put in its bucket, which is the same bound exactly when
 *   the report's buckets hold the same deliveries;
 * - delivery on time: scheduled greetings' recipients (`send_at` set) delivered in the range,
 *   and those of them within SLO.onTimeMs, in the report's own words.
 */
export async function databaseFigures(
  db: Connection,
  siteId: string,
  window: Window,
): Promise<DatabaseFigures> {
  const { from, to } = window;
  const figures: Figures = new Map();
  const notes = new Map<string, string>();
  const [sendRows] = await db.query(
    `SELECT COUNT(DISTINCT g.id) AS sends, COUNT(*) AS recipients ${OF_SITE}
       AND g.created_at >= ? AND g.created_at < ?`,
    [siteId, from, to],
  );
  const sends = (sendRows as { sends: string | number; recipients: string | number }[])[0];
  const byName = new Map<string, number>([
    ['sends', Number(sends?.sends ?? 0)],
    ['recipients', Number(sends?.recipients ?? 0)],
  ]);
  for (const column of ['delivered_at', 'opened_at'] as const) {
    byName.set(
      column === 'delivered_at' ? 'delivered' : 'opened',
      await count(db, `SELECT COUNT(*) AS n ${OF_SITE} AND r.${column} >= ? AND r.${column} < ?`, [
        siteId,
        from,
        to,
      ]),
    );
  }
  for (const [name, status] of FINAL_STATUS_COUNTS) {
    byName.set(
      name,
      await count(
        db,
        `SELECT COUNT(*) AS n ${OF_SITE} AND r.status = ? AND r.status_changed_at >= ? AND r.status_changed_at < ?`,
        [siteId, status, from, to],
      ),
    );
  }
  for (const [name, event] of FIRST_EVENT_COUNTS) {
    byName.set(
      name,
      await count(
        db,
        `SELECT COUNT(*) AS n FROM (
           SELECT MIN(e.at) AS first FROM greeting_recipient_events e
             JOIN greeting_recipients r ON r.id = e.recipient_id
             JOIN greetings g ON g.id = r.greeting_id
            WHERE g.site_id = ? AND e.event = ? GROUP BY e.recipient_id) f
          WHERE f.first >= ? AND f.first < ?`,
        [siteId, event, from, to],
      ),
    );
  }
  for (const [, name] of COUNTED_TOTALS) figures.set(name, byName.get(name) ?? null);

  const [deliveries] = await db.query(
    `SELECT r.delivered_at, g.send_at, g.created_at ${OF_SITE}
       AND r.delivered_at >= ? AND r.delivered_at < ?`,
    [siteId, from, to],
  );
  const rows = deliveries as { delivered_at: Date; send_at: Date | null; created_at: Date }[];
  const delays = rows
    .map((r) => Math.max(0, r.delivered_at.getTime() - (r.send_at ?? r.created_at).getTime()))
    .sort((a, b) => a - b);
  figures.set('delay count', delays.length);
  const buckets = new Map<string, number>();
  for (const ms of delays) {
    const bucket = bucketOf(DELAY_BOUNDS_MS, ms);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  for (const le of [...DELAY_BOUNDS_MS, null]) {
    figures.set(delayBucketName(le), buckets.get(le === null ? OVER_LAST_BOUND : String(le)) ?? 0);
  }
  for (const [name, q] of PERCENTILES) {
    const exact = delays[Math.ceil(q * delays.length) - 1];
    if (exact === undefined) {
      figures.set(`delay ${name}`, null);
      continue;
    }
    const bucket = bucketOf(DELAY_BOUNDS_MS, exact);
    figures.set(`delay ${name}`, boundValue(bucket === OVER_LAST_BOUND ? null : Number(bucket)));
    notes.set(`delay ${name}`, `${exact.toLocaleString('en-US')} ms`);
  }
  const scheduled = rows.filter((r) => r.send_at !== null);
  const onTime = scheduled.filter(
    (r) => Math.max(0, r.delivered_at.getTime() - (r.send_at as Date).getTime()) <= SLO.onTimeMs,
  ).length;
  figures.set(
    ON_TIME,
    scheduled.length === 0
      ? 'none scheduled'
      : `${((100 * onTime) / scheduled.length).toFixed(2)}% of ${scheduled.length}`,
  );
  return { figures, notes };
}

/** Bounce and feedback reports the listener kept for the site in the range, by kind. */
export async function bounceReportCounts(
  db: Connection,
  siteId: string,
  window: Window,
): Promise<Record<string, number>> {
  const [rows] = await db.query(
    `SELECT kind, COUNT(*) AS n FROM bounce_reports
      WHERE site_id = ? AND received_at >= ? AND received_at < ? GROUP BY kind ORDER BY kind`,
    [siteId, window.from, window.to],
  );
  return Object.fromEntries(
    (rows as { kind: string; n: string }[]).map((r) => [r.kind, Number(r.n)]),
  );
}
