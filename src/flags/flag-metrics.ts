import { Counter, Gauge } from 'prom-client';
import { TalliedCounter } from '../platform/observability/lean-metrics.js';
import { metricsRegistry } from '../platform/observability/metrics.js';

/** Flag evaluations by flag and source; callers keep the tally, not the labels. */
export const flagEvaluations = new TalliedCounter({
  name: 'ecard_flag_evaluations_total',
  help: 'Feature flag evaluations by flag and where the value came from',
  labelNames: ['flag', 'source'] as const,
  registers: [metricsRegistry],
});

export const flagSyncs = new Counter({
  name: 'ecard_flag_syncs_total',
  help: 'Flag override reloads by origin (boot, bus, resync, reconnect, local) and outcome',
  labelNames: ['origin', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const autopilotDecisions = new Counter({
  name: 'ecard_autopilot_decisions_total',
  help: 'Autopilot decisions by action (shed, restore) and flag',
  labelNames: ['action', 'flag'] as const,
  registers: [metricsRegistry],
});

export const autopilotHealth = new Gauge({
  name: 'ecard_autopilot_health_score',
  help: 'Health score the autopilot last computed (1 healthy, 0 overloaded), with its signals',
  labelNames: ['signal'] as const,
  registers: [metricsRegistry],
});
