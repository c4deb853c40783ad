import { DELAY_BOUNDS_MS, LATENCY_BOUNDS_MS } from './report-outcomes.js';
import { boundLabel, DAILY_SERIES, type Peak, type SiteReport } from './report-model.js';

export type Table = (string | number)[][];

/** The tables of a site's report, by the name `?table=` takes. */
export const SITE_TABLES = [
  'totals',
  'daily',
  'cards',
  'occasions',
  'delay',
  'objectives',
] as const;
/** The tables of the operators' view across sites. */
export const OPERATOR_TABLES = ['sites', 'objectives', 'peaks'] as const;
export type SiteTable = (typeof SITE_TABLES)[number];
export type OperatorTable = (typeof OPERATOR_TABLES)[number];

const delayText = (ms: number | null, count: number) =>
  count === 0 ? '' : boundLabel(ms, DELAY_BOUNDS_MS);

export function siteTable(report: SiteReport, table: SiteTable): Table {
  switch (table) {
    case 'totals':
      return [['metric', 'value'], ...report.totals.map((t) => [t.label, t.value])];
    case 'daily':
      return [
        ['day', ...DAILY_SERIES.map((s) => s.label)],
        ...report.days.map((d) => [d.day, ...d.values]),
      ];
    case 'cards':
    case 'occasions':
      return [
        [
          table === 'cards' ? 'card' : 'occasion',
          'sends',
          'recipients',
          'delivered',
          'opened',
          'page views',
        ],
        ...(table === 'cards' ? report.topCards : report.topOccasions).map((r) => [
          r.slug,
          r.sends,
          r.recipients,
          r.delivered,
          r.opened,
          r.views,
        ]),
      ];
    case 'delay':
      return [
        ['delay', 'deliveries'],
        ...report.delayBuckets.map((b) => [boundLabel(b.le, DELAY_BOUNDS_MS), b.count]),
        ['p50', delayText(report.delay.p50, report.delay.count)],
        ['p90', delayText(report.delay.p90, report.delay.count)],
        ['p99', delayText(report.delay.p99, report.delay.count)],
      ];
    case 'objectives':
      return [['objective', 'target', 'measured', 'met'], ...objectiveRows(report)];
  }
}

function objectiveRows(report: SiteReport): Table {
  return report.objectives.map((o) => [
    o.name,
    o.target,
    o.measured,
    o.met === null ? 'n/a' : o.met ? 'yes' : 'no',
  ]);
}

export function operatorTable(reports: SiteReport[], peaks: Peak[], table: OperatorTable): Table {
  switch (table) {
    case 'sites':
      return [
        [
          'site',
          ...(reports[0]?.totals.map((t) => t.label) ?? []),
          'delay p50',
          'delay p90',
          'delay p99',
          'latency p99',
        ],
        ...reports.map((r) => [
          r.siteId,
          ...r.totals.map((t) => t.value),
          delayText(r.delay.p50, r.delay.count),
          delayText(r.delay.p90, r.delay.count),
          delayText(r.delay.p99, r.delay.count),
          r.latency.count === 0 ? '' : boundLabel(r.latency.p99, LATENCY_BOUNDS_MS),
        ]),
      ];
    case 'objectives':
      return [
        ['site', 'objective', 'target', 'measured', 'met'],
        ...reports.flatMap((r) => objectiveRows(r).map((row) => [r.siteId, ...row])),
      ];
    case 'peaks':
      return [
        ['metric', 'hour (UTC)', 'value', ...reports.map((r) => r.siteId)],
        ...peaks.flatMap((p) =>
          p.hours.map((h) => [
            p.label,
            h.hour,
            h.value,
            ...reports.map((r) => h.bySite[r.siteId] ?? 0),
          ]),
        ),
      ];
  }
}

/**
 * RFC 4180 text. A cell a spreadsheet would take for a formula is prefixed with an apostrophe,
 * so a slug or label can never run as one in the partner's spreadsheet.
 */
export function toCsv(table: Table): string {
  return table
    .map((row) =>
      row
        .map((cell) => {
          let text = String(cell);
          if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
          return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
        })
        .join(','),
    )
    .join('\r\n')
    .concat('\r\n');
}
