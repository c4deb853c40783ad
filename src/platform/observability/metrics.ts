import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { LeanHistogram, TalliedCounter } from './lean-metrics.js';

/**
 * The process's metrics registry. Counters are created once here so every module that counts
 * something shares the same series, and `/metrics` has one place to read from.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** Counted on every cached page and data read: tallied, see lean-metrics. */
export const cacheEvents = new TalliedCounter({
  name: 'ecard_cache_events_total',
  help: 'Cache lookups and evictions by cache (page, data), tier (l1, l2) and outcome',
  labelNames: ['cache', 'tier', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const pageCacheBytes = new Gauge({
  name: 'ecard_page_cache_l1_bytes',
  help: 'Bytes held by the in-process page cache',
  registers: [metricsRegistry],
});

export const cachePurges = new Counter({
  name: 'ecard_cache_purges_total',
  help: 'Purges applied by this process, by origin (local, bus)',
  labelNames: ['origin'] as const,
  registers: [metricsRegistry],
});

/**
 * Every HTTP response, page-cache hits included. The route is the template (`/cards/:slug`),
 * never the raw URL, so the series count stays bounded whatever clients request.
 */
export const httpRequestDuration = new LeanHistogram(
  'http_request_duration_seconds',
  'HTTP response time by route template, method, status and site',
  ['route', 'method', 'status', 'site'],
  // Dense below 100 ms: the page target is "90% under 100 ms", cache hits take a millisecond.
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  metricsRegistry,
);

export const greetingsAccepted = new TalliedCounter({
  name: 'ecard_greetings_accepted_total',
  help: 'Greetings accepted for delivery, by site',
  labelNames: ['site'] as const,
  registers: [metricsRegistry],
});

/** Content-Security-Policy violations browsers reported, and whether the log line was written. */
export const cspViolations = new Counter({
  name: 'ecard_csp_violations_total',
  help: 'CSP violation reports by site, directive and outcome (logged, over the log budget)',
  labelNames: ['site', 'directive', 'outcome'] as const,
  registers: [metricsRegistry],
});
