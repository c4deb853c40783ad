import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from './metrics.js';

/**
 * Metrics of the worker side: queues, jobs, database pools and what became of greetings. In
 * the same registry as the request metrics, so whichever process serves `/metrics` shows them.
 */

/** Sampled every few seconds; every worker process reports the same queues (use `max`). */
export const queueJobs = new Gauge({
  name: 'ecard_queue_jobs',
  help: 'Jobs in a queue by state (waiting, delayed, active, failed), as last sampled',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'ecard_job_duration_seconds',
  help: 'Time a job ran in this process, by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const jobFailures = new Counter({
  name: 'ecard_job_failures_total',
  help: 'Failed job attempts in this process by queue; final="true" when no retry is left',
  labelNames: ['queue', 'final'] as const,
  registers: [metricsRegistry],
});

let samplePools: () => void = () => undefined;

/** Pools are read at scrape time (a few property reads), so no timer keeps them current. */
export function readPoolsWith(sampler: () => void): void {
  samplePools = sampler;
}

export const dbPoolConnections = new Gauge({
  name: 'ecard_db_pool_connections',
  help: 'Connections of a database pool by store (primary, replica-N) and state (open, idle, busy)',
  labelNames: ['store', 'state'] as const,
  registers: [metricsRegistry],
  collect: () => samplePools(),
});

export const dbPoolWaiting = new Gauge({
  name: 'ecard_db_pool_waiting_requests',
  help: 'Queries waiting for a free connection, by store',
  labelNames: ['store'] as const,
  registers: [metricsRegistry],
  collect: () => samplePools(),
});

export const dbPoolLimit = new Gauge({
  name: 'ecard_db_pool_size',
  help: 'Configured connection limit of a database pool, by store',
  labelNames: ['store'] as const,
  registers: [metricsRegistry],
  collect: () => samplePools(),
});

export const dbReplicaLag = new Gauge({
  name: 'ecard_db_replica_lag_seconds',
  help: 'How far behind the primary each replica was at its last probe, by store (from GTID positions)',
  labelNames: ['store'] as const,
  registers: [metricsRegistry],
  collect: () => samplePools(),
});

export const greetingOutcomes = new Counter({
  name: 'ecard_greetings_recipients_total',
  help: 'Greeting emails by site and outcome (delivered, bounced) recorded by this process',
  labelNames: ['site', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const bounceReports = new Counter({
  name: 'ecard_bounce_reports_total',
  help: 'Reports the bounce listener took, by site and outcome (hard, soft, soft-limit, complaint, duplicate, unknown)',
  labelNames: ['site', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** The delivery promise is "within 60 s of the chosen time": dense around that. */
export const deliveryLateness = new Histogram({
  name: 'ecard_delivery_lateness_seconds',
  help: 'Scheduled greetings: seconds from their due time until the receiving server accepted them, by site',
  labelNames: ['site'] as const,
  buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600],
  registers: [metricsRegistry],
});
