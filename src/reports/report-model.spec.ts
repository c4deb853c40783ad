import {
  boundLabel,
  daysOf,
  msLabel,
  peaksOf,
  percentilesOf,
  siteReportOf,
  TOTALS,
} from './report-model.js';
import { DELAY_BOUNDS_MS, LATENCY_BOUNDS_MS } from './report-outcomes.js';
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
const bucket = (metric: string, le: string, value: number) =>
  row(metric, value, { dimension: 'le', dimensionValue: le });

describe('the report model', () => {
  it('lists every UTC day of a range, across a month end and a leap day', () => {
    expect(daysOf('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysOf('2026-12-01', '2026-12-01')).toEqual(['2026-12-01']);
  });

  it('puts each percentile in the bucket holding its rank', () => {
    const buckets = [
      { le: 1000, count: 50 },
      { le: 2000, count: 40 },
      { le: 5000, count: 9 },
      { le: null, count: 1 },
    ];
    expect(percentilesOf(buckets)).toEqual({ count: 100, p50: 1000, p90: 2000, p99: 5000 });
    expect(percentilesOf([{ le: 1000, count: 0 }])).toEqual({
      count: 0,
      p50: null,
      p90: null,
      p99: null,
    });
    expect(percentilesOf([{ le: null, count: 3 }]).p50).toBeNull();
  });

  it('says durations in words a reader knows', () => {
    expect(msLabel(250)).toBe('250 ms');
    expect(msLabel(60_000)).toBe('60 s');
    expect(msLabel(900_000)).toBe('15 min');
    expect(msLabel(86_400_000)).toBe('24 h');
    expect(boundLabel(5000, LATENCY_BOUNDS_MS)).toBe('≤ 5 s');
    expect(boundLabel(null, DELAY_BOUNDS_MS)).toBe('over 24 h');
  });

  it("adds up one site's totals and days, and ignores other sites' rows", () => {
    const report = siteReportOf('kindred', '2026-12-01', '2026-12-03', [
      row('sends', 2),
      row('sends', 3, { period: '2026-12-03' }),
      row('bounced', 1),
      row('soft-bounced', 2),
      row('complained', 1),
      row('unsubscribed', 1, { period: '2026-12-03' }),
      row('sends', 40, { siteId: 'merrypost' }),
    ]);
    const total = (key: string) => report.totals.find((t) => t.key === key)?.value;
    expect(report.totals.map((t) => t.key)).toEqual(TOTALS.map((t) => t.key));
    expect(total('sends')).toBe(5);
    expect(total('bounced')).toBe(1);
    expect(total('soft-bounced')).toBe(2);
    expect(total('complained')).toBe(1);
    expect(total('unsubscribed')).toBe(1);
    expect(report.days).toEqual([
      { day: '2026-12-01', values: [2, 0, 0, 0, 1, 0] },
      { day: '2026-12-02', values: [0, 0, 0, 0, 0, 0] },
      { day: '2026-12-03', values: [3, 0, 0, 0, 0, 1] },
    ]);
  });

  it('ranks cards by sends, then page views, then name, ten at most', () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      row('sends', i, { dimension: 'card', dimensionValue: `card-${String(i).padStart(2, '0')}` }),
    );
    rows.push(row('page-views', 9, { dimension: 'card', dimensionValue: 'card-00' }));
    rows.push(row('opened', 4, { dimension: 'occasion', dimensionValue: 'birthday' }));
    const report = siteReportOf('kindred', '2026-12-01', '2026-12-01', rows);
    expect(report.topCards).toHaveLength(10);
    expect(report.topCards[0]).toMatchObject({ slug: 'card-11', sends: 11 });
    expect(report.topCards.map((c) => c.slug)).not.toContain('card-00');
    expect(report.topOccasions).toEqual([
      { slug: 'birthday', sends: 0, recipients: 0, delivered: 0, opened: 4, views: 0 },
    ]);
  });

  it('checks the objectives, and says so when nothing was measured', () => {
    const quiet = siteReportOf('kindred', '2026-12-01', '2026-12-01', []);
    expect(quiet.objectives.map((o) => [o.measured, o.met])).toEqual([
      ['no requests', null],
      ['no requests', null],
      ['none scheduled', null],
    ]);
    const busy = siteReportOf('kindred', '2026-12-01', '2026-12-01', [
      row('requests', 1000),
      row('server-errors', 2),
      bucket('latency', '250', 990),
      bucket('latency', '1000', 10),
      bucket('scheduled-delay', '60000', 99),
      bucket('scheduled-delay', '120000', 1),
    ]);
    expect(busy.objectives.map((o) => [o.name, o.measured, o.met])).toEqual([
      ['Page availability', '99.80% of 1000', false],
      ['Page latency', 'p99 ≤ 250 ms', true],
      ['Delivery on time', '99.00% of 100', true],
    ]);
  });

  it('finds the busiest hours of each peak metric with every site in them', () => {
    const hour = (h: number) => `2026-12-01T${String(h).padStart(2, '0')}:00:00.000Z`;
    const peaks = peaksOf([
      row('sends', 5, { period: hour(9) }),
      row('sends', 7, { period: hour(10) }),
      row('sends', 3, { period: hour(10), siteId: 'merrypost' }),
      row('sends', 1, { period: hour(11) }),
      row('sends', 2, { period: hour(12) }),
      row('requests', 0, { period: hour(12) }),
    ]);
    const sends = peaks.find((p) => p.metric === 'sends');
    expect(sends?.hours).toEqual([
      { hour: hour(10), value: 10, bySite: { kindred: 7, merrypost: 3 } },
      { hour: hour(9), value: 5, bySite: { kindred: 5 } },
      { hour: hour(12), value: 2, bySite: { kindred: 2 } },
    ]);
    expect(peaks.find((p) => p.metric === 'requests')?.hours).toEqual([]);
  });
});
