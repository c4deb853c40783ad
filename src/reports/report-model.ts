import { DELAY_BOUNDS_MS, LATENCY_BOUNDS_MS, OVER_LAST_BOUND } from './report-outcomes.js';
import type { AggregateRow } from './reports.repository.js';

/** The daily chart's series, in order, with the words a reader sees. */
export const DAILY_SERIES = [
  { key: 'sends', label: 'Sends' },
  { key: 'accepted', label: 'Recipients' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'opened', label: 'Opened' },
  { key: 'bounced', label: 'Bounced' },
  { key: 'unsubscribed', label: 'Unsubscribed' },
] as const;

/** Every total a report shows, with its label. */
export const TOTALS = [
  ...DAILY_SERIES,
  { key: 'soft-bounced', label: 'Soft bounces' },
  { key: 'complained', label: 'Complaints' },
  { key: 'reminded', label: 'Reminders sent' },
  { key: 'cancelled', label: 'Cancelled' },
  { key: 'suppressed', label: 'Suppressed' },
  { key: 'failed', label: 'Failed' },
  { key: 'page-views', label: 'Page views' },
] as const;

/** The platform's promises, checked over a report's range. */
export const SLO = {
  /** Share of page requests answered without a server error. */
  availabilityPercent: 99.9,
  /** 99th percentile of page latency, at most. */
  latencyP99Ms: 500,
  /** Share of scheduled greetings delivered within `onTimeMs` of their time. */
  onTimePercent: 99,
  onTimeMs: 60_000,
} as const;

const TOP = 10;

export interface DayRow {
  day: string;
  values: number[];
}

export interface RankedRow {
  slug: string;
  sends: number;
  recipients: number;
  delivered: number;
  opened: number;
  views: number;
}

export interface Bucket {
  /** Upper bound in ms, or null for the bucket above every bound. */
  le: number | null;
  count: number;
}

export interface Percentiles {
  count: number;
  /** Upper bound (ms) of the bucket holding each percentile; null when above every bound. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface Objective {
  name: string;
  target: string;
  measured: string;
  /** null when nothing was measured in the range. */
  met: boolean | null;
}

export interface SiteReport {
  siteId: string;
  from: string;
  to: string;
  totals: { key: string; label: string; value: number }[];
  days: DayRow[];
  topCards: RankedRow[];
  topOccasions: RankedRow[];
  delay: Percentiles;
  delayBuckets: Bucket[];
  latency: Percentiles;
  objectives: Objective[];
}

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`, UTC). */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Counts per bucket, in the order of `bounds` and then the bucket above them. */
function bucketsOf(rows: AggregateRow[], metric: string, bounds: readonly number[]): Bucket[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.metric === metric && r.dimension === 'le') {
      counts.set(r.dimensionValue, (counts.get(r.dimensionValue) ?? 0) + r.value);
    }
  }
  return [
    ...bounds.map((le) => ({ le, count: counts.get(String(le)) ?? 0 })),
    { le: null, count: counts.get(OVER_LAST_BOUND) ?? 0 },
  ];
}

/** The bucket bound under which each share of the counts falls. */
export function percentilesOf(buckets: Bucket[]): Percentiles {
  const count = buckets.reduce((sum, b) => sum + b.count, 0);
  const at = (q: number): number | null => {
    if (count === 0) return null;
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (const b of buckets) {
      seen += b.count;
      if (seen >= rank) return b.le;
    }
    return null;
  };
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

/** A duration in words: `≤ 2 s`, `≤ 250 ms`, or `over 5 s` for the last bucket. */
export function boundLabel(le: number | null, bounds: readonly number[]): string {
  if (le === null) return `over ${msLabel(bounds[bounds.length - 1] ?? 0)}`;
  return `≤ ${msLabel(le)}`;
}

export function msLabel(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${ms / 1000} s`;
  if (ms < 7_200_000) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(2)}%`;
}

function ranked(rows: AggregateRow[], dimension: 'card' | 'occasion'): RankedRow[] {
  const bySlug = new Map<string, RankedRow>();
  for (const r of rows) {
    if (r.dimension !== dimension) continue;
    let row = bySlug.get(r.dimensionValue);
    if (!row) {
      row = { slug: r.dimensionValue, sends: 0, recipients: 0, delivered: 0, opened: 0, views: 0 };
      bySlug.set(r.dimensionValue, row);
    }
    if (r.metric === 'sends') row.sends += r.value;
    else if (r.metric === 'accepted') row.recipients += r.value;
    else if (r.metric === 'delivered') row.delivered += r.value;
    else if (r.metric === 'opened') row.opened += r.value;
    else if (r.metric === 'page-views') row.views += r.value;
  }
  return [...bySlug.values()]
    .sort((a, b) => b.sends - a.sends || b.views - a.views || a.slug.localeCompare(b.slug))
    .slice(0, TOP);
}

/** One site's report from its daily aggregate rows over the range. */
export function siteReportOf(
  siteId: string,
  from: string,
  to: string,
  rows: AggregateRow[],
): SiteReport {
  const mine = rows.filter((r) => r.siteId === siteId);
  const siteWide = mine.filter((r) => r.dimension === '');
  const total = (metric: string) =>
    siteWide.filter((r) => r.metric === metric).reduce((sum, r) => sum + r.value, 0);
  const perDay = new Map<string, Map<string, number>>();
  for (const r of siteWide) {
    const day = perDay.get(r.period) ?? new Map<string, number>();
    day.set(r.metric, (day.get(r.metric) ?? 0) + r.value);
    perDay.set(r.period, day);
  }
  const days = daysOf(from, to).map((day) => ({
    day,
    values: DAILY_SERIES.map((s) => perDay.get(day)?.get(s.key) ?? 0),
  }));
  const delayBuckets = bucketsOf(mine, 'delay', DELAY_BOUNDS_MS);
  const onTimeBuckets = bucketsOf(mine, 'scheduled-delay', DELAY_BOUNDS_MS);
  const latencyBuckets = bucketsOf(mine, 'latency', LATENCY_BOUNDS_MS);
  const latency = percentilesOf(latencyBuckets);
  const requests = total('requests');
  const serverErrors = total('server-errors');
  const scheduled = onTimeBuckets.reduce((sum, b) => sum + b.count, 0);
  const onTime = onTimeBuckets
    .filter((b) => b.le !== null && b.le <= SLO.onTimeMs)
    .reduce((sum, b) => sum + b.count, 0);
  return {
    siteId,
    from,
    to,
    totals: TOTALS.map((t) => ({ key: t.key, label: t.label, value: total(t.key) })),
    days,
    topCards: ranked(mine, 'card'),
    topOccasions: ranked(mine, 'occasion'),
    delay: percentilesOf(delayBuckets),
    delayBuckets,
    latency,
    objectives: [
      {
        name: 'Page availability',
        target: `≥ ${SLO.availabilityPercent}% of requests without a server error`,
        measured:
          requests === 0
            ? 'no requests'
            : `${percent(requests - serverErrors, requests)} of ${requests}`,
        met:
          requests === 0
            ? null
            : (100 * (requests - serverErrors)) / requests >= SLO.availabilityPercent,
      },
      {
        name: 'Page latency',
        target: `p99 ≤ ${msLabel(SLO.latencyP99Ms)}`,
        measured:
          latency.count === 0 ? 'no requests' : `p99 ${boundLabel(latency.p99, LATENCY_BOUNDS_MS)}`,
        met: latency.count === 0 ? null : latency.p99 !== null && latency.p99 <= SLO.latencyP99Ms,
      },
      {
        name: 'Delivery on time',
        target: `≥ ${SLO.onTimePercent}% of scheduled greetings delivered within ${msLabel(SLO.onTimeMs)}`,
        measured:
          scheduled === 0 ? 'none scheduled' : `${percent(onTime, scheduled)} of ${scheduled}`,
        met: scheduled === 0 ? null : (100 * onTime) / scheduled >= SLO.onTimePercent,
      },
    ],
  };
}

/** The busiest hours of the range for one metric, with each site's share. */
export interface Peak {
  metric: string;
  label: string;
  hours: { hour: string; value: number; bySite: Record<string, number> }[];
}

export const PEAK_METRICS = [
  { key: 'sends', label: 'Sends' },
  { key: 'delivered', label: 'Deliveries' },
  { key: 'requests', label: 'Page requests' },
  { key: 'server-errors', label: 'Server errors' },
] as const;

const PEAK_HOURS = 3;

export function peaksOf(rows: AggregateRow[]): Peak[] {
  return PEAK_METRICS.map(({ key, label }) => {
    const byHour = new Map<string, { value: number; bySite: Record<string, number> }>();
    for (const r of rows) {
      if (r.metric !== key) continue;
      const hour = byHour.get(r.period) ?? { value: 0, bySite: {} };
      hour.value += r.value;
      hour.bySite[r.siteId] = (hour.bySite[r.siteId] ?? 0) + r.value;
      byHour.set(r.period, hour);
    }
    const hours = [...byHour.entries()]
      .map(([hour, v]) => ({ hour, ...v }))
      .filter((h) => h.value > 0)
      .sort((a, b) => b.value - a.value || a.hour.localeCompare(b.hour))
      .slice(0, PEAK_HOURS);
    return { metric: key, label, hours };
  });
}
