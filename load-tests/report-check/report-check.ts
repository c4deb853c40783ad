import { createConnection, type Connection } from 'mysql2/promise';
import type { SiteReport } from '../../src/reports/report-model.js';
import { call } from '../holiday/http.js';
import { CHECKED_TABLES, type CheckedTable, csvMismatches } from './csv-figures.js';
import { bounceReportCounts, databaseFigures, windowOf } from './database-figures.js';
import { compareFigures, figuresOfReport, formatRows, type FigureRow } from './figures.js';
import { pageMismatches } from './page-figures.js';
import { type ReportActions, takeActions, type DeliveredMail } from './report-actions.js';

export type { DeliveredMail, ReportActions } from './report-actions.js';

export interface ReportCheckOptions {
  /** The web process (any site host is sent as Host; the report API takes the admin token). */
  webUrl: string;
  siteId: string;
  /** The site's host, for its pickup pages. */
  host: string;
  /** A host whose site allows administration (the flagship's): the report API is read there. */
  adminHost: string;
  adminToken: string;
  /** Headers for every web request besides the report API's (a load run's API key). */
  headers?: Record<string, string>;
  /** The primary, where the raw rows are read. */
  databaseUrl: string;
  /** The replicas the report is read from: the check waits until they have the roll-up. */
  replicaUrls: string[];
  bounceListener: { host: string; port: number };
  /** Emails the stack delivered (the SMTP sink saw them), any site's: the check picks the site's. */
  mail: DeliveredMail[];
  actions: ReportActions;
  /** First and last UTC day of the report (`YYYY-MM-DD`). */
  range: { from: string; to: string };
  /** How long to wait for the listener's records, the roll-up and the replicas. */
  timeoutMs?: number;
  log: (line: string) => void;
}

export interface ReportCheckResult {
  pass: boolean;
  rows: FigureRow[];
  csvProblems: string[];
  pageProblems: string[];
}

/** mysql2 as the platform configures it: DATETIME columns are UTC. */
export function openDatabase(url: string): Promise<Connection> {
  return createConnection({ uri: url, timezone: 'Z' });
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`report check: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rolledAt(db: Connection): Promise<Date | null> {
  const [rows] = await db.query('SELECT rolled_at FROM report_rollup_state WHERE id = 1');
  return (rows as { rolled_at: Date }[])[0]?.rolled_at ?? null;
}

/**
 * Waits for a roll-up the worker began after `after` (every fact written before then is in
 * it: the roll-up recomputes the current and previous hour whatever it saw), then for each
 * replica to have replayed it; the roll-up writes its state row last.
 */
export async function waitForRollup(
  primary: Connection,
  replicaUrls: string[],
  after: Date,
  timeoutMs: number,
): Promise<Date> {
  const rolled = await until('the worker to roll the reports up', timeoutMs, async () => {
    const at = await rolledAt(primary);
    return at && at > after ? at : null;
  });
  for (const url of replicaUrls) {
    const replica = await openDatabase(url);
    try {
      await until(`the replica ${new URL(url).port} to have the roll-up`, timeoutMs, async () => {
        const at = await rolledAt(replica);
        return at && at >= rolled ? at : null;
      });
    } finally {
      await replica.end();
    }
  }
  return rolled;
}

/** One report as read: its JSON and CSV tables from the API, and the report page. */
export interface ReadReport {
  json: SiteReport;
  csv: Record<CheckedTable, string>;
  page: string;
}

/**
 * The report's JSON and CSV tables through the report API, as a partner's system reads them,
 * and the report page a person reads (the admin token also opens pages, for scripts).
 */
export async function readReport(
  o: Pick<ReportCheckOptions, 'webUrl' | 'adminHost' | 'siteId' | 'adminToken' | 'range'>,
): Promise<ReadReport> {
  const query = `from=${o.range.from}&to=${o.range.to}`;
  const get = async (path: string) => {
    const res = await call(o.webUrl, {
      path,
      host: o.adminHost,
      headers: { authorization: `Bearer ${o.adminToken}` },
    });
    if (res.status !== 200) {
      throw new Error(`report check: ${path} answered ${res.status} ${res.body.slice(0, 200)}`);
    }
    return res.body;
  };
  const api = `/admin/api/reports/${o.siteId}`;
  const json = JSON.parse(await get(`${api}.json?${query}`)) as SiteReport;
  const csv = {} as Record<CheckedTable, string>;
  for (const table of CHECKED_TABLES) csv[table] = await get(`${api}.csv?${query}&table=${table}`);
  const page = await get(`/admin/reports?site=${o.siteId}&${query}`);
  return { json, csv, page };
}

/**
 * Reads the report and the raw rows, compares every figure and the CSV with the JSON, and
 * prints them side by side with PASS or FAIL.
 */
export async function compareReport(
  o: Pick<ReportCheckOptions, 'webUrl' | 'adminHost' | 'siteId' | 'adminToken' | 'range' | 'log'>,
  db: Connection,
  report?: ReadReport,
): Promise<ReportCheckResult> {
  const read = report ?? (await readReport(o));
  const window = windowOf(o.range);
  const raw = await databaseFigures(db, o.siteId, window);
  const rows = compareFigures(figuresOfReport(read.json), raw.figures, raw.notes);
  const csv = csvMismatches(read.json, read.csv);
  const page = pageMismatches(read.page, read.csv);
  const kept = await bounceReportCounts(db, o.siteId, window);
  const pass = rows.every((r) => r.pass) && csv.problems.length === 0 && page.length === 0;
  for (const line of formatRows(rows)) o.log(`  ${line}`);
  o.log(
    `  bounce_reports of the site in the range: ${
      Object.entries(kept)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ') || 'none'
    }`,
  );
  o.log(
    csv.problems.length === 0
      ? `  CSV (${CHECKED_TABLES.join(', ')}) vs JSON: ${csv.cells} cells, PASS`
      : `  CSV vs JSON: FAIL\n${csv.problems.map((p) => `    ${p}`).join('\n')}`,
  );
  o.log(
    page.length === 0
      ? '  report page (totals, per day, chart data, delay) vs CSV: PASS'
      : `  report page vs CSV: FAIL\n${page.map((p) => `    ${p}`).join('\n')}`,
  );
  const failed = rows.filter((r) => !r.pass).map((r) => r.name);
  const why = [
    ...(failed.length > 0 ? [`${failed.join(', ')} differ from the database rows`] : []),
    ...(csv.problems.length > 0 ? ['the CSV differs from the JSON'] : []),
    ...(page.length > 0 ? ['the page differs from the CSV'] : []),
  ];
  o.log(
    pass
      ? `REPORT CHECK PASS: ${rows.length} figures of ${o.siteId} ${o.range.from}..${o.range.to} match the database rows; the CSV matches the JSON and the page`
      : `REPORT CHECK FAIL: ${why.join('; ')}`,
  );
  return { pass, rows, csvProblems: csv.problems, pageProblems: page };
}

/**
 * The acceptance check of the reports after a run: real bounce and feedback reports to the
 * bounce listener and real opens, then the worker's roll-up, then the report API against the
 * database rows, figure by figure.
 */
export async function runReportCheck(o: ReportCheckOptions): Promise<ReportCheckResult> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const db = await openDatabase(o.databaseUrl);
  try {
    o.log(`report check: site ${o.siteId}, ${o.range.from}..${o.range.to}`);
    await takeActions(o, db, timeoutMs);
    const after = new Date();
    const rolled = await waitForRollup(db, o.replicaUrls, after, timeoutMs);
    o.log(`  roll-up of ${rolled.toISOString()} on the primary and every replica`);
    return await compareReport(o, db);
  } finally {
    await db.end();
  }
}
