import type { EntityManager } from 'typeorm';
import { DELAY_BOUNDS_MS, OVER_LAST_BOUND } from './report-outcomes.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Changed-hour marks one run takes; more are left for the next run. */
const MARKS_PER_RUN = 50_000;
const MARKS_PER_DELETE = 5_000;

/** `delay_ms` as its bucket's label; the bounds are constants, never input. */
const DELAY_BUCKET = `CASE ${DELAY_BOUNDS_MS.map((b) => `WHEN delay_ms <= ${b} THEN '${b}'`).join(' ')} ELSE '${OVER_LAST_BOUND}' END`;

const UPSERT = 'ON DUPLICATE KEY UPDATE value = VALUES(value)';
const INTO_HOURLY =
  'INSERT INTO report_hourly (site_id, hour, metric, dimension, dimension_value, value)';
const IN_HOUR = 'FROM report_facts WHERE at >= ? AND at < ?';

/**
 * Every aggregate of one hour, recomputed from its facts and written over what was there, so
 * running it twice (a replayed job, two workers) gives the same rows. Only metrics that come
 * from facts are written; page traffic, added by the web processes, is left alone.
 */
const HOUR_STATEMENTS = [
  `${INTO_HOURLY} SELECT site_id, ?, outcome, '', '', COUNT(*) ${IN_HOUR}
     GROUP BY site_id, outcome ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, 'sends', '', '', COUNT(DISTINCT greeting_id) ${IN_HOUR}
     AND outcome = 'accepted' GROUP BY site_id ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, 'sends', 'card', card_slug, COUNT(DISTINCT greeting_id) ${IN_HOUR}
     AND outcome = 'accepted' GROUP BY site_id, card_slug ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, 'sends', 'occasion', occasion_slug, COUNT(DISTINCT greeting_id) ${IN_HOUR}
     AND outcome = 'accepted' GROUP BY site_id, occasion_slug ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, outcome, 'card', card_slug, COUNT(*) ${IN_HOUR}
     AND outcome IN ('accepted', 'delivered', 'opened') GROUP BY site_id, outcome, card_slug ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, outcome, 'occasion', occasion_slug, COUNT(*) ${IN_HOUR}
     AND outcome IN ('accepted', 'delivered', 'opened') GROUP BY site_id, outcome, occasion_slug ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, 'delay', 'le', ${DELAY_BUCKET}, COUNT(*) ${IN_HOUR}
     AND outcome = 'delivered' GROUP BY site_id, 5 ${UPSERT}`,
  `${INTO_HOURLY} SELECT site_id, ?, 'scheduled-delay', 'le', ${DELAY_BUCKET}, COUNT(*) ${IN_HOUR}
     AND outcome = 'delivered' AND scheduled = 1 GROUP BY site_id, 5 ${UPSERT}`,
];

/** A day's rows are the sums of its hours, facts and page traffic alike. */
const DAY_STATEMENT = `
  INSERT INTO report_daily (site_id, day, metric, dimension, dimension_value, value)
  SELECT site_id, ?, metric, dimension, dimension_value, SUM(value) FROM report_hourly
   WHERE hour >= ? AND hour < ? GROUP BY site_id, metric, dimension, dimension_value ${UPSERT}`;

export interface RollupResult {
  hours: number;
  days: number;
}

export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function dayOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * Rolls facts up into the hourly and daily tables. The hours recomputed are those marked
 * changed by the transactions that wrote facts (`report_changed_hours`), those of facts
 * written since the last run by their sequence (facts of a writer that marks nothing, during a
 * rolling deploy), plus the current and previous hour; the days are those hours' days plus
 * today, whose page traffic the web processes add all day. Safe to run twice or at once.
 */
export async function rollUpReports(m: EntityManager, now = new Date()): Promise<RollupResult> {
  const [state] = await m.query<{ rolled_seq: string }[]>(
    'SELECT rolled_seq FROM report_rollup_state WHERE id = 1',
  );
  const [top] = await m.query<{ seq: string | null }[]>('SELECT MAX(seq) AS seq FROM report_facts');
  const fromSeq = state?.rolled_seq ?? '0';
  const toSeq = top?.seq ?? '0';
  const changed = await m.query<{ hour: Date }[]>(
    `SELECT DISTINCT TIMESTAMP(DATE_FORMAT(at, '%Y-%m-%d %H:00:00')) AS hour
       FROM report_facts WHERE seq > ? AND seq <= ?`,
    [fromSeq, toSeq],
  );
  // Marks commit with their facts: one whose fact committed after a later sequence number was
  // seen is still here. Only the marks read are removed, after their hours are recomputed.
  const marks = await m.query<{ id: string; hour: Date }[]>(
    'SELECT id, hour FROM report_changed_hours ORDER BY id LIMIT ?',
    [MARKS_PER_RUN],
  );
  const current = hourOf(now).getTime();
  const hours = new Set<number>([current, current - HOUR_MS]);
  for (const row of [...changed, ...marks]) hours.add(new Date(row.hour).getTime());
  await rollUpHours(m, [...hours]);
  const days = new Set<number>([...hours].map((h) => dayOf(new Date(h)).getTime()));
  await rollUpDays(m, [...days]);
  for (let i = 0; i < marks.length; i += MARKS_PER_DELETE) {
    const ids = marks.slice(i, i + MARKS_PER_DELETE).map((r) => r.id);
    await m.query('DELETE FROM report_changed_hours WHERE id IN (?)', [ids]);
  }
  await m.query(
    `INSERT INTO report_rollup_state (id, rolled_seq, rolled_at) VALUES (1, ?, ?)
     ON DUPLICATE KEY UPDATE rolled_seq = GREATEST(rolled_seq, VALUES(rolled_seq)), rolled_at = VALUES(rolled_at)`,
    [toSeq, now],
  );
  return { hours: hours.size, days: days.size };
}

/** Recomputes the given hours (epoch ms of their start) from their facts. */
export async function rollUpHours(m: EntityManager, hourStarts: number[]): Promise<void> {
  for (const start of hourStarts.sort((a, b) => a - b)) {
    const from = new Date(start);
    const to = new Date(start + HOUR_MS);
    for (const sql of HOUR_STATEMENTS) await m.query(sql, [from, from, to]);
  }
}

/** Recomputes the given days (epoch ms of their UTC midnight) from their hours. */
export async function rollUpDays(m: EntityManager, dayStarts: number[]): Promise<void> {
  for (const start of dayStarts.sort((a, b) => a - b)) {
    const day = new Date(start);
    await m.query(DAY_STATEMENT, [day.toISOString().slice(0, 10), day, new Date(start + DAY_MS)]);
  }
}

/**
 * Deletes facts older than the retention period, a batch at a time: their hours are final and
 * their aggregates stay. Returns how many went.
 */
export async function pruneReportFacts(m: EntityManager, before: Date): Promise<number> {
  const result = await m.query<{ affectedRows: number }>(
    'DELETE FROM report_facts WHERE at < ? LIMIT 5000',
    [before],
  );
  return result.affectedRows;
}
