import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';
import { DatabaseService } from '../database/database.service.js';
import { RedisService } from '../redis/redis.service.js';
import {
  type DependencyHealth,
  DependencyHealthSource,
  type DependencyState,
} from './dependency-health.js';

const STATE_VALUE: Record<DependencyState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Sources alive in this process; the gauges read them at scrape time. */
const sources = new Set<StoreHealth>();
const collectAll = (
  set: (labels: { dependency: string }, value: number) => void,
  pick: (d: DependencyHealth) => number,
): void => {
  for (const source of sources) {
    for (const dependency of source.snapshot())
      set({ dependency: dependency.name }, pick(dependency));
  }
};

new Gauge({
  name: 'ecard_dependency_breaker_state',
  help: 'Circuit breaker of each store: 0 closed, 1 half-open, 2 open',
  labelNames: ['dependency'] as const,
  registers: [metricsRegistry],
  collect() {
    collectAll(
      (labels, value) => this.set(labels, value),
      (d) => STATE_VALUE[d.state],
    );
  },
});

new Gauge({
  name: 'ecard_dependency_up',
  help: 'Whether each store answered its last probe and its breaker lets calls through',
  labelNames: ['dependency'] as const,
  registers: [metricsRegistry],
  collect() {
    collectAll(
      (labels, value) => this.set(labels, value),
      (d) => (d.up ? 1 : 0),
    );
  },
});

/**
 * The process's view of its stores, from their circuit breakers: the primary, each replica and
 * Redis. Provided globally as DependencyHealthSource for health, metrics and the autopilot.
 */
@Injectable()
export class StoreHealth
  extends DependencyHealthSource
  implements OnModuleInit, OnApplicationShutdown
{
  constructor(
    private readonly db: DatabaseService,
    private readonly redis: RedisService,
  ) {
    super();
  }

  snapshot(): readonly DependencyHealth[] {
    return [...this.db.dependencies(), this.redis.dependency()];
  }

  onModuleInit(): void {
    sources.add(this);
  }

  onApplicationShutdown(): void {
    sources.delete(this);
  }
}
