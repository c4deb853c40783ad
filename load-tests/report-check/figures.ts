import { boundLabel, type SiteReport } from '../../src/reports/report-model.js';
import { DELAY_BOUNDS_MS, OVER_LAST_BOUND } from '../../src/reports/report-outcomes.js';

/**
 * A figure as compared: a count, a delay bucket's upper bound in ms (`inf` above the last), a
 * measured objective as text, or null when there is nothing to measure (no deliveries).
 */
export type FigureValue = number | string | null;

/** Every figure the check compares, by name, in the order it prints them. */
export type Figures = Map<string, FigureValue>;

/** The report's totals the check compares, by the key the report API uses, with its own name. */
export const COUNTED_TOTALS = [
  ['sends', 'sends'],
  ['accepted', 'recipients'],
  ['delivered', 'delivered'],
  ['opened', 'opened'],
  ['bounced', 'bounced (hard)'],
  ['soft-bounced', 'bounced (soft)'],
  ['complained', 'complaints'],
  ['unsubscribed', 'unsubscribed'],
  ['cancelled', 'cancelled'],
  ['suppressed', 'suppressed'],
  ['failed', 'failed'],
] as const;

export const PERCENTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
] as const;

export const ON_TIME = 'delivery on time';

/** A bucket's name as the check prints it, from its upper bound (null: above every bound). */
export function delayBucketName(le: number | null): string {
  return `delay ${boundLabel(le, DELAY_BOUNDS_MS)}`;
}

/** A percentile's bucket as compared: its upper bound, or `inf` above every bound. */
export function boundValue(le: number | null): number | string {
  return le === null ? OVER_LAST_BOUND : le;
}

function boundText(value: FigureValue): string {
  if (value === null) return '-';
  if (typeof value === 'string')
    return value === OVER_LAST_BOUND ? boundLabel(null, DELAY_BOUNDS_MS) : value;
  return boundLabel(value, DELAY_BOUNDS_MS);
}

/** The figures a report answers for its site and range, as the check compares them. */
export function figuresOfReport(report: SiteReport): Figures {
  const figures: Figures = new Map();
  const totals = new Map(report.totals.map((t) => [t.key, t.value]));
  for (const [key, name] of COUNTED_TOTALS) figures.set(name, totals.get(key) ?? null);
  figures.set('delay count', report.delay.count);
  for (const bucket of report.delayBuckets) figures.set(delayBucketName(bucket.le), bucket.count);
  for (const [name] of PERCENTILES) {
    figures.set(`delay ${name}`, report.delay.count === 0 ? null : boundValue(report.delay[name]));
  }
  figures.set(
    ON_TIME,
    report.objectives.find((o) => o.name === 'Delivery on time')?.measured ?? null,
  );
  return figures;
}

export interface FigureRow {
  name: string;
  report: FigureValue;
  database: FigureValue;
  /** How the database side was reached, where a bare value would not say (exact percentiles). */
  note?: string;
  pass: boolean;
}

/**
 * Every figure side by side. A figure missing on one side is a mismatch, so a report that
 * loses a figure fails as surely as one that counts it wrong.
 */
export function compareFigures(
  report: Figures,
  database: Figures,
  notes: ReadonlyMap<string, string> = new Map(),
): FigureRow[] {
  const names = [...new Set([...report.keys(), ...database.keys()])];
  return names.map((name) => {
    const r = report.has(name) ? (report.get(name) ?? null) : undefined;
    const d = database.has(name) ? (database.get(name) ?? null) : undefined;
    const note = notes.get(name);
    return {
      name,
      report: r ?? null,
      database: d ?? null,
      ...(note ? { note } : {}),
      pass: r !== undefined && d !== undefined && r === d,
    };
  });
}

function shown(name: string, value: FigureValue): string {
  if (name.startsWith('delay p')) return boundText(value);
  if (value === null) return '-';
  return typeof value === 'number' ? value.toLocaleString('en-US') : value;
}

/** The rows as a table: figure, report, database (with how), PASS or FAIL. */
export function formatRows(rows: FigureRow[]): string[] {
  const cells = rows.map((r) => [
    r.name,
    shown(r.name, r.report),
    r.note ? `${r.note} -> ${shown(r.name, r.database)}` : shown(r.name, r.database),
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const head = ['figure', 'report API', 'database rows', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((text, i) => (i === 1 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)];
}
