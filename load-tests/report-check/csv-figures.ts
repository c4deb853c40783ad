import { boundLabel, DAILY_SERIES, type SiteReport } from '../../src/reports/report-model.js';
import { DELAY_BOUNDS_MS } from '../../src/reports/report-outcomes.js';

/** The CSV tables the check reads beside the JSON. */
export const CHECKED_TABLES = ['totals', 'daily', 'delay'] as const;
export type CheckedTable = (typeof CHECKED_TABLES)[number];

/** RFC 4180 text as rows of cells (quoted cells, doubled quotes, CRLF or LF line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** What each table's rows must be, from the JSON of the same report. */
function expectedRows(report: SiteReport, table: CheckedTable): string[][] {
  const delayText = (le: number | null) =>
    report.delay.count === 0 ? '' : boundLabel(le, DELAY_BOUNDS_MS);
  switch (table) {
    case 'totals':
      return [['metric', 'value'], ...report.totals.map((t) => [t.label, String(t.value)])];
    case 'daily':
      return [
        ['day', ...DAILY_SERIES.map((s) => s.label)],
        ...report.days.map((d) => [d.day, ...d.values.map(String)]),
      ];
    case 'delay':
      return [
        ['delay', 'deliveries'],
        ...report.delayBuckets.map((b) => [boundLabel(b.le, DELAY_BOUNDS_MS), String(b.count)]),
        ['p50', delayText(report.delay.p50)],
        ['p90', delayText(report.delay.p90)],
        ['p99', delayText(report.delay.p99)],
      ];
  }
}

/**
 * Where the CSV tables differ from the JSON: cell by cell, and the daily table's columns summed
 * against the JSON's totals (a day the CSV lost shows there even if every row it kept is right).
 * Empty when they match. Returns the number of cells compared as well.
 */
export function csvMismatches(
  report: SiteReport,
  csv: Record<CheckedTable, string>,
): { problems: string[]; cells: number } {
  const problems: string[] = [];
  let cells = 0;
  for (const table of CHECKED_TABLES) {
    const got = parseCsv(csv[table]);
    const want = expectedRows(report, table);
    if (got.length !== want.length) {
      problems.push(`${table}.csv has ${got.length} rows, the JSON ${want.length}`);
    }
    want.forEach((row, r) =>
      row.forEach((cell, c) => {
        cells++;
        const text = got[r]?.[c];
        if (text !== cell) {
          problems.push(
            `${table}.csv row ${r + 1} column ${c + 1}: "${text ?? ''}", JSON "${cell}"`,
          );
        }
      }),
    );
  }
  const daily = parseCsv(csv.daily).slice(1);
  DAILY_SERIES.forEach((series, i) => {
    const sum = daily.reduce((n, row) => n + Number(row[i + 1] ?? 0), 0);
    const total = report.totals.find((t) => t.key === series.key)?.value;
    cells++;
    if (sum !== total)
      problems.push(`daily.csv ${series.label} sums to ${sum}, JSON total ${total}`);
  });
  return { problems, cells };
}
