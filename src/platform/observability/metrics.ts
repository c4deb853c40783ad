import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * The process's metrics registry. Counters are created once here so every module that counts
 * something shares the same series, and `/metrics` has one place to read from.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const cacheEvents = new Counter({
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
