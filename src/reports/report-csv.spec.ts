import { operatorTable, siteTable, toCsv } from './report-csv.js';
import { peaksOf, siteReportOf } from './report-model.js';
import type { AggregateRow } from './reports.repository.js';

const row = (metric: string, value: number, extra: Partial<AggregateRow> = {}): AggregateRow => ({
  siteId: 'kindred',
  period: '2026-12-01',
  metric,
  dimension: '',
  dimensionValue: '',
  value,
  ...extra,
});

describe('CSV of a report', () => {
  it('writes RFC 4180 text: CRLF lines, quoted commas, quotes and line breaks', () => {
    expect(
      toCsv([
        ['a', 'b, c'],
        ['say "hi"', 'two\nlines'],
        ['n', 3],
      ]),
    ).toBe('a,"b, c"\r\n"say ""hi""","two\nlines"\r\nn,3\r\n');
  });

  it('never lets a cell run as a spreadsheet formula, and leaves numbers alone', () => {
    expect(toCsv([['=1+1', '+x', '-y', '@SUM(A1)', '\tz', 'plain', -3]])).toBe(
      "'=1+1,'+x,'-y,'@SUM(A1),'\tz,plain,-3\r\n",
    );
  });

  it("writes each of a site's tables with its header and the report's figures", () => {
    const report = siteReportOf('kindred', '2026-12-01', '2026-12-02', [
      row('sends', 2),
      row('accepted', 3),
      row('delivered', 3),
      row('bounced', 1, { period: '2026-12-02' }),
      row('sends', 2, { dimension: 'card', dimensionValue: 'a-card' }),
      row('delay', 3, { dimension: 'le', dimensionValue: '2000' }),
    ]);
    expect(siteTable(report, 'daily')).toEqual([
      ['day', 'Sends', 'Recipients', 'Delivered', 'Opened', 'Bounced', 'Unsubscribed'],
      ['2026-12-01', 2, 3, 3, 0, 0, 0],
      ['2026-12-02', 0, 0, 0, 0, 1, 0],
    ]);
    expect(siteTable(report, 'cards')).toEqual([
      ['card', 'sends', 'recipients', 'delivered', 'opened', 'page views'],
      ['a-card', 2, 0, 0, 0, 0],
    ]);
    const delay = siteTable(report, 'delay');
    expect(delay.slice(-3)).toEqual([
      ['p50', '≤ 2 s'],
      ['p90', '≤ 2 s'],
      ['p99', '≤ 2 s'],
    ]);
    expect(siteTable(report, 'totals')).toContainEqual(['Bounced', 1]);
    expect(siteTable(report, 'objectives')[0]).toEqual(['objective', 'target', 'measured', 'met']);
  });

  it('leaves the percentiles empty when nothing was delivered', () => {
    const report = siteReportOf('kindred', '2026-12-01', '2026-12-01', []);
    expect(siteTable(report, 'delay').slice(-3)).toEqual([
      ['p50', ''],
      ['p90', ''],
      ['p99', ''],
    ]);
  });

  it("lays the sites side by side and each peak hour's share per site", () => {
    const rows = [
      row('sends', 4),
      row('sends', 1, { siteId: 'merrypost' }),
      row('sends', 5, { period: '2026-12-01T10:00:00.000Z' }),
      row('sends', 2, { period: '2026-12-01T10:00:00.000Z', siteId: 'merrypost' }),
    ];
    const reports = ['kindred', 'merrypost'].map((s) =>
      siteReportOf(s, '2026-12-01', '2026-12-01', rows.slice(0, 2)),
    );
    const sites = operatorTable(reports, [], 'sites');
    expect(sites.map((r) => r.slice(0, 2))).toEqual([
      ['site', 'Sends'],
      ['kindred', 4],
      ['merrypost', 1],
    ]);
    const peaks = operatorTable(reports, peaksOf(rows.slice(2)), 'peaks');
    expect(peaks[0]).toEqual(['metric', 'hour (UTC)', 'value', 'kindred', 'merrypost']);
    expect(peaks[1]).toEqual(['Sends', '2026-12-01T10:00:00.000Z', 7, 5, 2]);
  });
});
