import type { SlaTargets } from '../config/ops-config.js';

/** One `msg: "request"` log line, the fields the report needs. */
export interface RequestRecord {
  time: number;
  site: string;
  route: string;
  status: number;
  latencyMs: number;
}

export interface LatencySummary {
  name: string;
  requests: number;
  errors5xx: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface SlaReport {
  from: string | null;
  to: string | null;
  windowSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Percent of responses that were not 5xx; null without requests. */
  availabilityPercent: number | null;
  groups: LatencySummary[];
  sites: LatencySummary[];
  targets: {
    availability: { targetPercent: number; met: boolean | null };
    pageLatency: {
      thresholdMs: number;
      targetPercent: number;
      actualPercent: number | null;
      met: boolean | null;
    };
  };
}

/** The request line of one response, or null for any other line (or one that is not JSON). */
export function parseRequestLine(line: string): RequestRecord | null {
  if (!line.startsWith('{')) return null;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (value.msg !== 'request' || typeof value.status !== 'number') return null;
  const time = typeof value.time === 'string' ? Date.parse(value.time) : Number(value.time);
  if (!Number.isFinite(time) || typeof value.latencyMs !== 'number') return null;
  return {
    time,
    site: typeof value.site === 'string' ? value.site : '-',
    route: typeof value.route === 'string' ? value.route : 'unmatched',
    status: value.status,
    latencyMs: value.latencyMs,
  };
}

/**
 * Route templates grouped the way the targets speak of them: `pages` are the HTML pages people
 * look at (the 100 ms target), the rest are reported beside them.
 */
export function routeGroup(route: string): string {
  if (route === 'unmatched') return 'unmatched';
  if (route === '/version' || route.startsWith('/health')) return 'ops';
  if (route.startsWith('/admin')) return 'admin';
  if (route.startsWith('/api/')) return 'api';
  if (route.startsWith('/assets/') || route.startsWith('/media/')) return 'static';
  return 'pages';
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

function summarise(name: string, records: RequestRecord[]): LatencySummary {
  const sorted = records.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    name,
    requests: records.length,
    errors5xx: records.filter((r) => r.status >= 500).length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

function byKey(records: RequestRecord[], key: (r: RequestRecord) => string): LatencySummary[] {
  const groups = new Map<string, RequestRecord[]>();
  for (const r of records) {
    const k = key(r);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  return [...groups]
    .map(([name, list]) => summarise(name, list))
    .sort((a, b) => b.requests - a.requests);
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Availability (responses that were not 5xx), rate and latency percentiles from request log
 * lines, checked against the targets. `sinceMs`: only lines newer than that long before `now`;
 * the rate is then over that whole window, else over the span the lines cover.
 */
export function buildSlaReport(
  all: RequestRecord[],
  targets: SlaTargets,
  options: { now?: number; sinceMs?: number } = {},
): SlaReport {
  const now = options.now ?? Date.now();
  const start = options.sinceMs !== undefined ? now - options.sinceMs : -Infinity;
  const records = all.filter((r) => r.time >= start && r.time <= now);
  const times = records.map((r) => r.time);
  const first = times.length > 0 ? Math.min(...times) : null;
  const last = times.length > 0 ? Math.max(...times) : null;
  const windowMs =
    options.sinceMs ?? (first !== null && last !== null ? Math.max(1000, last - first) : 0);
  const failures = records.filter((r) => r.status >= 500).length;
  const availability =
    records.length > 0 ? round(((records.length - failures) / records.length) * 100, 4) : null;
  const pages = records.filter((r) => routeGroup(r.route) === 'pages');
  const fast = pages.filter((r) => r.latencyMs < targets.pageLatencyMs).length;
  const pageShare = pages.length > 0 ? round((fast / pages.length) * 100, 2) : null;
  return {
    from: options.sinceMs !== undefined ? new Date(start).toISOString() : iso(first),
    to: options.sinceMs !== undefined ? new Date(now).toISOString() : iso(last),
    windowSeconds: round(windowMs / 1000, 1),
    requests: records.length,
    // Four significant digits: a quiet hour is 0.0003 req/s, not 0.
    requestsPerSecond:
      windowMs > 0 ? Number((records.length / (windowMs / 1000)).toPrecision(4)) : 0,
    availabilityPercent: availability,
    groups: byKey(records, (r) => routeGroup(r.route)),
    sites: byKey(records, (r) => r.site),
    targets: {
      availability: {
        targetPercent: targets.availabilityPercent,
        met: availability === null ? null : availability >= targets.availabilityPercent,
      },
      pageLatency: {
        thresholdMs: targets.pageLatencyMs,
        targetPercent: targets.pageShareUnderPercent,
        actualPercent: pageShare,
        met: pageShare === null ? null : pageShare >= targets.pageShareUnderPercent,
      },
    },
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** `90s`, `15m`, `1h`, `7d` as milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

const verdict = (met: boolean | null): string =>
  met === null ? 'no data' : met ? 'MET' : 'MISSED';

/** The report as an operator reads it in a terminal. */
export function formatSlaReport(r: SlaReport): string {
  const table = (title: string, rows: LatencySummary[]): string[] => [
    '',
    `${title.padEnd(14)}${'requests'.padStart(10)}${'5xx'.padStart(7)}${'p50 ms'.padStart(10)}${'p90 ms'.padStart(10)}${'p99 ms'.padStart(10)}`,
    ...rows.map(
      (s) =>
        `${s.name.padEnd(14)}${String(s.requests).padStart(10)}${String(s.errors5xx).padStart(7)}` +
        `${s.p50.toFixed(2).padStart(10)}${s.p90.toFixed(2).padStart(10)}${s.p99.toFixed(2).padStart(10)}`,
    ),
  ];
  const { availability, pageLatency } = r.targets;
  return [
    `SLA report ${r.from ?? '-'} .. ${r.to ?? '-'} (${r.windowSeconds} s)`,
    `requests: ${r.requests}, rate: ${r.requestsPerSecond} req/s`,
    `availability: ${r.availabilityPercent ?? '-'}% (target ${availability.targetPercent}%): ${verdict(availability.met)}`,
    `pages under ${pageLatency.thresholdMs} ms: ${pageLatency.actualPercent ?? '-'}% (target ${pageLatency.targetPercent}%): ${verdict(pageLatency.met)}`,
    ...table('route group', r.groups),
    ...table('site', r.sites),
    '',
  ].join('\n');
}
