import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { JobQueues } from '../../platform/queue/job-queues.js';
import { QUEUES } from '../../platform/queue/jobs.js';
import { DependencyHealthSource } from '../../platform/resilience/dependency-health.js';
import { type FlagKey, SHED_ORDER } from '../../config/flag-registry.js';
import { autopilotDecisions, autopilotHealth } from '../flag-metrics.js';
import { FlagStore } from '../flag-store.service.js';
import { dependencyScore, LatencyWindow, scoreAgainst } from './health-signals.js';
import { ShedPolicy } from './shed-policy.js';

export interface AutopilotSignals {
  eventLoopLagP99Ms: number;
  latencyP99Ms: number | null;
  deliveryBacklog: number | null;
  dependencies: number;
}

export interface AutopilotStatus {
  enabled: boolean;
  score: number;
  signals: AutopilotSignals;
  shed: readonly FlagKey[];
}

/**
 * Sheds non-essential features in this process when it struggles, and brings them back when
 * it has recovered. Signals: event-loop lag, response-time p99, store breakers and the delivery
 * backlog; the health score is the worst of them, so one bad signal is enough to act.
 */
@Injectable()
export class Autopilot implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Autopilot');
  private readonly latencies = new LatencyWindow();
  private readonly policy: ShedPolicy;
  private lag: IntervalHistogram | null = null;
  private timers: NodeJS.Timeout[] = [];
  private backlog: number | null = null;
  private last: AutopilotStatus;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: FlagStore,
    private readonly queues: JobQueues,
    @Optional() private readonly dependencies?: DependencyHealthSource,
  ) {
    const { shedBelow, restoreAbove, restoreAfterMs, enabled } = config.flags.autopilot;
    this.policy = new ShedPolicy(SHED_ORDER, { shedBelow, restoreAbove, restoreAfterMs });
    this.last = {
      enabled,
      score: 1,
      signals: { eventLoopLagP99Ms: 0, latencyP99Ms: null, deliveryBacklog: null, dependencies: 1 },
      shed: [],
    };
  }

  onModuleInit(): void {
    const settings = this.config.flags.autopilot;
    if (!settings.enabled) return;
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
    const tick = setInterval(() => this.step(), settings.intervalMs);
    const poll = setInterval(() => void this.pollBacklog(), settings.queuePollMs);
    tick.unref();
    poll.unref();
    this.timers = [tick, poll];
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.lag?.disable();
  }

  /** Fed from the response hook: one array write per response. */
  recordLatency(ms: number): void {
    this.latencies.record(ms);
  }

  status(): AutopilotStatus {
    return this.last;
  }

  private step(): void {
    const settings = this.config.flags.autopilot;
    const lagMs = this.lag ? this.lag.percentile(99) / 1e6 : 0;
    this.lag?.reset();
    const latency = this.latencies.drainPercentile(99);
    const signals: AutopilotSignals = {
      eventLoopLagP99Ms: Math.round(lagMs * 10) / 10,
      latencyP99Ms: latency,
      deliveryBacklog: this.backlog,
      dependencies: dependencyScore(this.dependencies?.snapshot() ?? []),
    };
    const parts = {
      lag: scoreAgainst(lagMs, settings.lagLimitMs),
      latency: latency === null ? 1 : scoreAgainst(latency, settings.latencyLimitMs),
      backlog: this.backlog === null ? 1 : scoreAgainst(this.backlog, settings.backlogLimit),
      dependencies: signals.dependencies,
    };
    const score = Math.min(parts.lag, parts.latency, parts.backlog, parts.dependencies);
    autopilotHealth.set({ signal: 'score' }, score);
    for (const [signal, value] of Object.entries(parts)) autopilotHealth.set({ signal }, value);

    const decision = this.policy.step(score, Date.now());
    if (decision.action !== 'hold') {
      this.store.setShed(new Set(this.policy.shed));
      autopilotDecisions.inc({ action: decision.action, flag: decision.flag });
      this.logger.warn({
        event: 'autopilot',
        action: decision.action,
        flag: decision.flag,
        score: Math.round(score * 100) / 100,
        ...signals,
        shed: this.policy.shed,
      });
    }
    this.last = { enabled: true, score, signals, shed: this.policy.shed };
  }

  /** Recipients waiting for delivery; unknown (and ignored) while Redis is away. */
  private async pollBacklog(): Promise<void> {
    try {
      const counts = await this.queues.use(QUEUES.delivery, (q) =>
        q.getJobCounts('waiting', 'active', 'prioritized'),
      );
      this.backlog = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0);
    } catch {
      this.backlog = null;
    }
  }
}
